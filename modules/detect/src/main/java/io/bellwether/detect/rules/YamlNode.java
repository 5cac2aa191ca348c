package io.bellwether.detect.rules;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML tree that remembers, for every value, the file and line it came from, so a rule that fails
 * validation after merging files is still reported where a person can fix it.
 */
public final class YamlNode {
    private final String source;
    private final int line;
    private final String scalar;
    private final Map<String, YamlNode> map;
    private final List<YamlNode> list;
    /** The line of the key this value belongs to (a nested map starts on the line after its key). */
    private final int keyLine;

    private YamlNode(String source, int line, String scalar, Map<String, YamlNode> map, List<YamlNode> list) {
        this(source, line, scalar, map, list, line);
    }

    private YamlNode(String source, int line, String scalar, Map<String, YamlNode> map, List<YamlNode> list, int keyLine) {
        this.source = source;
        this.line = line;
        this.scalar = scalar;
        this.map = map;
        this.list = list;
        this.keyLine = keyLine;
    }

    /** Where the key of this value is written: what to point at when the key itself is the problem. */
    public int keyLine() {
        return keyLine;
    }

    /** Parses one YAML document; an empty document is an empty map. */
    public static YamlNode parse(Reader reader, String source) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new RulesException(source, line, "", "is not valid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw new RulesException(source, 0, "", "is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return new YamlNode(source, 1, null, new LinkedHashMap<>(), null);
        }
        return convert(root, source);
    }

    private static YamlNode convert(Node node, String source) {
        int line = node.getStartMark().getLine() + 1;
        if (node instanceof MappingNode mapping) {
            Map<String, YamlNode> children = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new RulesException(source, tuple.getKeyNode().getStartMark().getLine() + 1, "", "map keys must be plain words");
                }
                YamlNode value = convert(tuple.getValueNode(), source);
                children.put(key.getValue(), new YamlNode(value.source, value.line, value.scalar, value.map, value.list,
                        key.getStartMark().getLine() + 1));
            }
            return new YamlNode(source, line, null, children, null);
        }
        if (node instanceof SequenceNode sequence) {
            List<YamlNode> items = new ArrayList<>();
            sequence.getValue().forEach(item -> items.add(convert(item, source)));
            return new YamlNode(source, line, null, null, items);
        }
        String value = ((ScalarNode) node).getValue();
        boolean isNull = "null".equals(value) || "~".equals(value);
        return new YamlNode(source, line, isNull ? null : value, null, null);
    }

    /**
     * A new tree: {@code overlay} wins on scalars and lists, maps merge key by key, except that a map with a
     * {@code default} key (a per-priority setting) replaces the base map whole: "default" means every priority
     * the overlay does not name.
     */
    public static YamlNode merge(YamlNode base, YamlNode overlay) {
        if (overlay == null) {
            return base;
        }
        if (base == null || !base.isMap() || !overlay.isMap() || isPerPriority(overlay)) {
            return overlay;
        }
        Map<String, YamlNode> merged = new LinkedHashMap<>(base.map);
        overlay.map.forEach((key, value) -> merged.merge(key, value, YamlNode::merge));
        return new YamlNode(overlay.source, overlay.line, null, merged, null);
    }

    static YamlNode synthetic(String source, int line, String scalar, Map<String, YamlNode> map) {
        return new YamlNode(source, line, scalar, map == null ? null : new LinkedHashMap<>(map), null);
    }

    private static final java.util.Set<String> PRIORITY_KEYS = java.util.Set.of("default", "P1", "P2", "P3", "P4", "P5", "UNKNOWN");

    private static boolean isPerPriority(YamlNode node) {
        return node.map.containsKey("default") && PRIORITY_KEYS.containsAll(node.map.keySet())
                && node.map.values().stream().allMatch(YamlNode::isScalar);
    }

    public static YamlNode emptyMap(String source) {
        return new YamlNode(source, 0, null, new LinkedHashMap<>(), null);
    }

    public boolean isMap() {
        return map != null;
    }

    public boolean isList() {
        return list != null;
    }

    public boolean isScalar() {
        return map == null && list == null;
    }

    public String scalar() {
        return scalar;
    }

    public Map<String, YamlNode> map() {
        return map == null ? Map.of() : Collections.unmodifiableMap(map);
    }

    public List<YamlNode> list() {
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }
}
