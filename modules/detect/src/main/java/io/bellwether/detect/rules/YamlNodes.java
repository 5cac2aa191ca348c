package io.bellwether.detect.rules;

import java.util.Map;

/** Builds small trees in code that carry the position of the YAML they were derived from. */
final class YamlNodes {
    private YamlNodes() {
    }

    static YamlNode mapOf(String source, int line, Map<String, YamlNode> entries) {
        return YamlNode.synthetic(source, line, null, entries);
    }

    static YamlNode scalar(String source, int line, String value) {
        return YamlNode.synthetic(source, line, value, null);
    }
}
