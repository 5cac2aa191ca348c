package io.bellwether.detect.rules;

import io.bellwether.events.Priority;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads one map of a rules tree with typed, line-aware getters, and refuses keys nobody read (a typo such
 * as {@code treshold} must not silently fall back to the default).
 */
final class Section {
    private final YamlNode node;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();
    /** Unknown keys found under the root section so far: all are reported, not only the first. */
    private final java.util.List<RulesException> unknown;

    Section(YamlNode node, String path) {
        this(node, path, new java.util.ArrayList<>());
    }

    private Section(YamlNode node, String path, java.util.List<RulesException> unknown) {
        if (!node.isMap()) {
            throw error(node, path, "must be a map of settings");
        }
        this.node = node;
        this.path = path;
        this.unknown = unknown;
    }

    String path() {
        return path;
    }

    boolean has(String key) {
        return node.map().containsKey(key);
    }

    YamlNode raw(String key) {
        read.add(key);
        YamlNode value = node.map().get(key);
        if (value == null) {
            throw error(node, child(key), "is missing");
        }
        return value;
    }

    Section section(String key) {
        return new Section(raw(key), child(key), unknown);
    }

    String string(String key) {
        YamlNode value = raw(key);
        if (!value.isScalar()) {
            throw error(value, child(key), "must be a single value");
        }
        return value.scalar();
    }

    String optionalString(String key) {
        return has(key) ? string(key) : null;
    }

    boolean bool(String key) {
        String text = string(key);
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.parseBoolean(text);
        }
        throw error(raw(key), child(key), "'" + text + "' is not true or false");
    }

    int integer(String key, int min) {
        String text = string(key);
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min) {
                throw error(raw(key), child(key), value + " is below the minimum " + min);
            }
            return value;
        } catch (NumberFormatException e) {
            throw error(raw(key), child(key), "'" + text + "' is not a whole number");
        }
    }

    double decimal(String key, double min, double max) {
        String text = string(key);
        try {
            double value = Double.parseDouble(text.trim());
            if (value < min || value > max) {
                throw error(raw(key), child(key), value + " is outside " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw error(raw(key), child(key), "'" + text + "' is not a number");
        }
    }

    Duration duration(String key) {
        return parseDuration(raw(key), child(key));
    }

    static Duration parseDuration(YamlNode value, String path) {
        Duration d = value.isScalar() ? DurationText.parse(value.scalar()) : null;
        if (d == null || d.isNegative()) {
            throw error(value, path, "'" + value.scalar() + "' is not a duration (write 30m, 4h, 1h30m, 2d, or ISO-8601 like PT30M)");
        }
        return d;
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        return parseEnum(raw(key), child(key), type);
    }

    static <E extends Enum<E>> E parseEnum(YamlNode value, String path, Class<E> type) {
        String text = value.isScalar() ? value.scalar() : null;
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text == null ? "" : text.trim().replace('-', '_'))) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        throw error(value, path, "'" + text + "' is not one of " + names);
    }

    List<YamlNode> list(String key) {
        YamlNode value = raw(key);
        if (!value.isList()) {
            throw error(value, child(key), "must be a list, e.g. [a, b]");
        }
        return value.list();
    }

    <E extends Enum<E>> Set<E> enumSet(String key, Class<E> type) {
        Set<E> values = new LinkedHashSet<>();
        for (YamlNode item : list(key)) {
            values.add(parseEnum(item, child(key), type));
        }
        return values;
    }

    List<String> strings(String key) {
        List<String> values = new ArrayList<>();
        for (YamlNode item : list(key)) {
            if (!item.isScalar() || item.scalar() == null) {
                throw error(item, child(key), "items must be single values");
            }
            values.add(item.scalar());
        }
        return values;
    }

    /** {@code 30m} for every priority, or {@code {default: 1h, P1: 10m}}. */
    Map<Priority, Duration> byPriority(String key) {
        return byPriority(key, v -> parseDuration(v, child(key)));
    }

    <T> Map<Priority, T> byPriority(String key, Function<YamlNode, T> parse) {
        YamlNode value = raw(key);
        Map<Priority, T> result = new EnumMap<>(Priority.class);
        if (value.isScalar()) {
            T all = parse.apply(value);
            for (Priority p : Priority.values()) {
                result.put(p, all);
            }
            return result;
        }
        Section per = new Section(value, child(key), unknown);
        T fallback = per.has("default") ? parse.apply(per.raw("default")) : null;
        for (Priority p : Priority.values()) {
            if (per.has(p.name())) {
                result.put(p, parse.apply(per.raw(p.name())));
            } else if (fallback != null) {
                result.put(p, fallback);
            }
        }
        List<String> known = new java.util.ArrayList<>();
        for (Priority p : Priority.values()) {
            known.add(p.name());
        }
        known.add("default");
        per.finish(known);
        for (Priority p : Priority.values()) {
            if (!result.containsKey(p)) {
                throw error(value, child(key), "has no value for " + p + " and no 'default'");
            }
        }
        return result;
    }

    Set<String> keys() {
        return node.map().keySet();
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    YamlNode node() {
        return node;
    }

    /** Refuses every key that no getter asked for. */
    void finish() {
        finish(read);
    }

    /**
     * Refuses every key that no getter asked for, naming {@code known} as what may be written here. The refusals are
     * kept, and reading goes on, so that {@link #refusals} reports every unknown key under the root at once.
     */
    void finish(java.util.Collection<String> known) {
        for (Map.Entry<String, YamlNode> entry : node.map().entrySet()) {
            if (!read.contains(entry.getKey())) {
                unknown.add(new RulesException(entry.getValue().source(), entry.getValue().keyLine(), child(entry.getKey()),
                        "unknown setting (known here: " + (known == read ? new TreeSet<>(read) : known) + ")"));
            }
        }
    }

    /**
     * Every problem of this root section: the unknown keys found and, when reading stopped at a value that could not
     * be read, that one too; null when there is none.
     */
    RulesException refusals(RulesException stoppedAt) {
        java.util.List<RulesException> all = new java.util.ArrayList<>(unknown);
        if (stoppedAt != null) {
            all.addAll(stoppedAt.problems());
        }
        if (all.isEmpty()) {
            return null;
        }
        all.sort(java.util.Comparator.comparing(RulesException::source).thenComparingInt(RulesException::line));
        return RulesException.of(all);
    }

    static RulesException error(YamlNode at, String path, String problem) {
        return new RulesException(at.source(), at.line(), path, problem);
    }
}
