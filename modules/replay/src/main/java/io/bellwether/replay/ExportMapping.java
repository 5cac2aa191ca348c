package io.bellwether.replay;

import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the columns of one PSA's export become canonical ticket events. A new export layout needs a mapping file,
 * not code: which column holds each canonical field (or a template over columns), how its timestamps are
 * written and in which zone, how its status and priority vocabulary maps, which column orders the rows of one
 * ticket, which rows to skip, and (for backtests) how the export records outcomes.
 *
 * @param fields        canonical field name to column name, or to a template such as {@code "{number}/{sys_mod_count}"};
 *                      {@code "Involved ST 2|Involved ST"} takes the first that is not empty
 * @param nullsByColumn per column, more values that mean "empty" there (e.g. an assignee column's "unassigned")
 */
public record ExportMapping(String name, String source, Format format, char delimiter, Set<String> nulls, Map<String, Set<String>> nullsByColumn,
                            TimeFormat time,
                            Map<String, String> fields, List<String> order, Map<String, StatusCategory> statuses,
                            StatusCategory statusFallback, Map<String, Priority> priorities, Map<String, ActorType> actors,
                            Set<String> escalationStatuses, Map<String, Set<String>> skipWhen, List<String> attributes,
                            Outcomes outcomes) {

    public enum Format { CSV, JSONL }

    /** How timestamps are written: a pattern, ISO-8601 (with or without offset), or epoch numbers. */
    public record TimeFormat(String pattern, ZoneId zone) {
        public DateTimeFormatter formatter() {
            return switch (pattern) {
                case "iso", "epoch-millis", "epoch-seconds" -> null;
                default -> DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
            };
        }
    }

    /**
     * How a backtest reads what happened to each ticket from the export.
     *
     * @param slaBreachColumn   column whose final value says the SLA was missed (e.g. made_sla), or null
     * @param slaBreachValue    the value meaning "missed" (e.g. false)
     * @param reopenColumn      column counting reopens (e.g. reopen_count), or null: then derived from statuses
     * @param pingPongColumn    column whose final value says the ticket ping-ponged, or null
     * @param pingPongValue     the value meaning "it did"
     * @param pingPongDerived   {@code team}: whether the ticket ping-ponged is read from its own team sequence (a return to
     *                          an earlier team, A to B to A or through others); null: not derived
     */
    public record Outcomes(String slaBreachColumn, String slaBreachValue, String reopenColumn, String pingPongColumn, String pingPongValue,
                           String pingPongDerived) {

        /** Whether the export says (or lets us derive) which tickets ping-ponged. */
        public boolean knowsPingPong() {
            return pingPongColumn != null || pingPongDerived != null;
        }
    }

    /** The same mapping, producing under another source system name (a fresh set of ticket keys). */
    /** Every column the mapping reads: field columns and template parts, ordering, skip, attribute and outcome columns. */
    public java.util.SortedSet<String> columns() {
        java.util.SortedSet<String> columns = new java.util.TreeSet<>();
        java.util.regex.Pattern part = java.util.regex.Pattern.compile("\\{([^}]+)}");
        for (String spec : fields.values()) {
            for (String value : alternatives(spec)) {
                java.util.regex.Matcher m = part.matcher(value);
                boolean template = false;
                while (m.find()) {
                    columns.add(m.group(1));
                    template = true;
                }
                if (!template) {
                    columns.add(value);
                }
            }
        }
        columns.addAll(order);
        columns.addAll(skipWhen.keySet());
        columns.addAll(attributes);
        if (outcomes != null) {
            java.util.stream.Stream.of(outcomes.slaBreachColumn(), outcomes.reopenColumn(), outcomes.pingPongColumn())
                    .filter(java.util.Objects::nonNull).forEach(columns::add);
        }
        return columns;
    }

    /** The alternatives of a field's spec, in order: {@code "A|B"} is A, then B. */
    public static List<String> alternatives(String spec) {
        List<String> out = new ArrayList<>();
        for (String part : spec.split("\\|")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    public ExportMapping withSource(String newSource) {
        return new ExportMapping(name, newSource, format, delimiter, nulls, nullsByColumn, time, fields, order, statuses, statusFallback, priorities,
                actors, escalationStatuses, skipWhen, attributes, outcomes);
    }

    private static final Set<String> CANONICAL = Set.of("ticketId", "accountId", "accountName", "status", "priority", "assignee",
            "team", "category", "configurationItem", "vendor", "occurredAt", "createdAt", "sourceEventId", "actor", "actorType",
            "escalated", "eventType");

    /** Reads a mapping file; every problem is reported with the file name and what to change. */
    public static ExportMapping load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.getFileName().toString());
        } catch (IOException e) {
            throw new MappingException("Cannot read the mapping file " + file + ": " + e.getMessage());
        }
    }

    /** A mapping shipped with Bellwether, by name (e.g. {@code servicenow-incident}). */
    public static ExportMapping bundled(String name) {
        try (InputStream in = ExportMapping.class.getResourceAsStream("/mappings/" + name + ".yaml")) {
            if (in == null) {
                throw new MappingException("No bundled mapping named '" + name + "'");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".yaml");
        } catch (IOException e) {
            throw new MappingException("Cannot read the bundled mapping " + name + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public static ExportMapping parse(String text, String name) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            throw new MappingException(name + " line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: " + e.getProblem());
        }
        if (!(root instanceof Map)) {
            throw new MappingException(name + ": must be a map with at least 'source', 'format' and 'fields'");
        }
        Map<String, Object> m = (Map<String, Object>) root;
        Reader r = new Reader(name, m);
        for (Object key : m.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw r.fail(String.valueOf(key), "is not a mapping setting (known: " + KEYS + ")");
            }
        }
        String source = r.string("source", null);
        Format format = switch (r.string("format", "csv").toLowerCase(Locale.ROOT)) {
            case "csv" -> Format.CSV;
            case "jsonl", "json-lines", "ndjson" -> Format.JSONL;
            default -> throw r.fail("format", "must be csv or jsonl");
        };
        String delimiter = r.string("delimiter", ",");
        if (delimiter.length() != 1) {
            throw r.fail("delimiter", "must be one character");
        }
        Set<String> nulls = new LinkedHashSet<>(r.strings("nulls", List.of("")));
        Map<String, Set<String>> nullsByColumn = new LinkedHashMap<>();
        r.map("nullsByColumn").forEach((column, values) -> nullsByColumn.put(column, new LinkedHashSet<>(asStrings(values))));
        Map<String, Object> time = r.map("time");
        String pattern = String.valueOf(time.getOrDefault("format", "iso"));
        ZoneId zone;
        try {
            zone = ZoneId.of(String.valueOf(time.getOrDefault("zone", "UTC")));
        } catch (RuntimeException e) {
            throw r.fail("time.zone", "'" + time.get("zone") + "' is not an IANA time zone");
        }
        TimeFormat timeFormat = new TimeFormat(pattern, zone);
        try {
            timeFormat.formatter();
        } catch (IllegalArgumentException e) {
            throw r.fail("time.format", "'" + pattern + "' is not a date-time pattern (" + e.getMessage() + ")");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        r.map("fields").forEach((k, v) -> {
            if (!CANONICAL.contains(k)) {
                throw r.fail("fields." + k, "is not a canonical field (known: " + CANONICAL + ")");
            }
            fields.put(k, String.valueOf(v));
        });
        for (String required : List.of("ticketId", "occurredAt", "status")) {
            if (!fields.containsKey(required)) {
                throw r.fail("fields", "must map '" + required + "'");
            }
        }
        Map<String, StatusCategory> statuses = new LinkedHashMap<>();
        r.map("statusMap").forEach((k, v) -> statuses.put(k.toLowerCase(Locale.ROOT), r.enumValue("statusMap." + k, v, StatusCategory.class)));
        StatusCategory fallback = r.enumValue("statusFallback", r.string("statusFallback", "OPEN"), StatusCategory.class);
        Map<String, Priority> priorities = new LinkedHashMap<>();
        r.map("priorityMap").forEach((k, v) -> priorities.put(k.toLowerCase(Locale.ROOT), r.enumValue("priorityMap." + k, v, Priority.class)));
        Map<String, ActorType> actors = new LinkedHashMap<>();
        r.map("actorTypeMap").forEach((k, v) -> actors.put(k.toLowerCase(Locale.ROOT), r.enumValue("actorTypeMap." + k, v, ActorType.class)));
        Map<String, Set<String>> skipWhen = new LinkedHashMap<>();
        r.map("skipWhen").forEach((k, v) -> skipWhen.put(k, new LinkedHashSet<>(asStrings(v))));
        Map<String, Object> outcomes = r.map("outcomes");
        for (String key : outcomes.keySet()) {
            if (!OUTCOME_KEYS.contains(key)) {
                throw r.fail("outcomes." + key, "is not an outcome setting (known: " + OUTCOME_KEYS + ")");
            }
        }
        Object derived = outcomes.get("pingPongDerived");
        if (derived != null && !"team".equals(String.valueOf(derived))) {
            throw r.fail("outcomes.pingPongDerived", "'" + derived + "' is not supported; 'team' derives it from the team sequence");
        }
        if (outcomes.get("pingPongColumn") != null && derived != null) {
            throw r.fail("outcomes", "names both pingPongColumn and pingPongDerived; choose one");
        }
        Outcomes outcomeSpec = new Outcomes((String) outcomes.get("slaBreachColumn"),
                outcomes.get("slaBreachValue") == null ? null : String.valueOf(outcomes.get("slaBreachValue")),
                (String) outcomes.get("reopenColumn"), (String) outcomes.get("pingPongColumn"),
                String.valueOf(outcomes.getOrDefault("pingPongValue", "Y")), derived == null ? null : String.valueOf(derived));
        return new ExportMapping(name, source == null ? "export" : source, format, delimiter.charAt(0), nulls, nullsByColumn, timeFormat, fields,
                r.strings("order", List.of()), statuses, fallback, priorities, actors,
                new LinkedHashSet<>(r.strings("escalationStatuses", List.of())), skipWhen, r.strings("attributes", List.of()), outcomeSpec);
    }

    /** Every top-level key a mapping file may have, in the order the README lists them. */
    public static final List<String> KEYS = List.of("source", "format", "delimiter", "nulls", "nullsByColumn", "time", "order", "fields",
            "statusMap", "statusFallback", "priorityMap", "actorTypeMap", "escalationStatuses", "skipWhen", "attributes", "outcomes");

    private static final List<String> OUTCOME_KEYS = List.of("slaBreachColumn", "slaBreachValue", "reopenColumn", "pingPongColumn",
            "pingPongValue", "pingPongDerived");

    private static List<String> asStrings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
        return out;
    }

    /** Typed access to the raw YAML map with messages that name the file and key. */
    private record Reader(String name, Map<String, Object> root) {
        String string(String key, String fallback) {
            Object v = root.get(key);
            return v == null ? fallback : String.valueOf(v);
        }

        List<String> strings(String key, List<String> fallback) {
            Object v = root.get(key);
            return v == null ? fallback : asStrings(v);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String key) {
            Object v = root.get(key);
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Map)) {
                throw fail(key, "must be a map");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) v).forEach((k, val) -> out.put(String.valueOf(k), val));
            return out;
        }

        <E extends Enum<E>> E enumValue(String key, Object value, Class<E> type) {
            String text = String.valueOf(value).trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            try {
                return Enum.valueOf(type, text);
            } catch (IllegalArgumentException e) {
                throw fail(key, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }

        MappingException fail(String key, String problem) {
            return new MappingException(name + ": " + key + " " + problem);
        }
    }
}
