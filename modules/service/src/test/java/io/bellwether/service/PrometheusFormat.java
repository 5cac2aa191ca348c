package io.bellwether.service;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text exposition format 0.0.4, enough to reject what Prometheus would. */
final class PrometheusFormat {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\")(,[a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\")*})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");

    private PrometheusFormat() {
    }

    /** @return family name → type; throws on any malformed line, a duplicate TYPE, or a sample of an undeclared family */
    static Map<String, String> parse(String text) {
        Map<String, String> types = new HashMap<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                if (parts.length != 4 || !NAME.matcher(parts[2]).matches() || types.put(parts[2], parts[3]) != null) {
                    throw new AssertionError("line " + lineNo + ": bad or repeated TYPE: " + line);
                }
                if (current != null) {
                    closed.add(current);
                }
                current = parts[2];
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            var m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("line " + lineNo + ": not a sample: " + line);
            }
            String name = m.group(1);
            String family = familyOf(name, types);
            if (family == null || !family.equals(current) || closed.contains(family)) {
                throw new AssertionError("line " + lineNo + ": sample outside its family's block: " + line);
            }
        }
        return types;
    }

    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[]{"_total", "_count", "_sum", "_bucket"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }
}
