package io.bellwether.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bellwether's configuration, layered: built-in defaults, then a properties file, then environment variables
 * ({@code BELLWETHER_*} for Bellwether keys, {@code KAFKA_*} for Kafka client properties), then command-line
 * flags. Each value remembers which layer set it, so {@code bellwether config} can say why a value is what it is.
 *
 * <p>Bellwether keys are dotted and may contain hyphens ({@code topics.ticket-events}); their environment
 * variable is the key upper-cased with dots and hyphens as underscores ({@code BELLWETHER_TOPICS_TICKET_EVENTS}).
 * Kafka client properties live under {@code kafka.} ({@code kafka.security.protocol}); {@code KAFKA_SECURITY_PROTOCOL}
 * sets the same.
 */
public final class Settings {
    /** The Kafka scripts' own variables: not client properties. */
    private static final Set<String> KAFKA_SCRIPT_VARIABLES = Set.of("KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS",
            "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_HOME", "KAFKA_LOG4J_CMD_OPTS",
            "KAFKA_CLUSTER_ID", "KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES");

    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final List<String> warnings;

    private Settings(Map<String, String> values, Map<String, String> origins, List<String> warnings) {
        this.values = Collections.unmodifiableMap(values);
        this.origins = Collections.unmodifiableMap(origins);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * @param defaults  the built-in defaults (every Bellwether key must appear here to be settable by env)
     * @param file      a properties file, or null
     * @param env       the environment
     * @param flags     key/value pairs from the command line
     */
    public static Settings load(Map<String, String> defaults, Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        Map<String, String> origins = new LinkedHashMap<>();
        defaults.keySet().forEach(k -> origins.put(k, "default"));
        List<String> warnings = new ArrayList<>();

        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new ConfigException("Cannot read the configuration file " + file + ": " + e.getMessage());
            }
            for (String key : props.stringPropertyNames()) {
                if (!defaults.containsKey(key) && !key.startsWith("kafka.")) {
                    warnings.add("Unknown setting '" + key + "' in " + file + " (ignored)");
                    continue;
                }
                values.put(key, props.getProperty(key).trim());
                origins.put(key, "file " + file.getFileName());
            }
        }

        Map<String, String> envKeys = new LinkedHashMap<>();
        defaults.keySet().forEach(k -> envKeys.put(envName(k), k));
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (name.startsWith("BELLWETHER_")) {
                String key = envKeys.get(name);
                if (key == null) {
                    if (!name.equals("BELLWETHER_JAVA_OPTS") && !name.equals("BELLWETHER_LOG_LEVEL")) {
                        warnings.add("Unknown environment variable " + name + " (ignored)");
                    }
                    continue;
                }
                values.put(key, e.getValue().trim());
                origins.put(key, "env " + name);
            } else if (name.startsWith("KAFKA_") && !KAFKA_SCRIPT_VARIABLES.contains(name)) {
                String key = "kafka." + name.substring(6).toLowerCase(Locale.ROOT).replace('_', '.');
                values.put(key, e.getValue().trim());
                origins.put(key, "env " + name);
            }
        }

        for (Map.Entry<String, String> e : flags.entrySet()) {
            if (!defaults.containsKey(e.getKey()) && !e.getKey().startsWith("kafka.")) {
                throw new ConfigException("Unknown setting '" + e.getKey() + "' (see 'bellwether config' for every setting)");
            }
            values.put(e.getKey(), e.getValue().trim());
            origins.put(e.getKey(), "flag");
        }
        Settings settings = new Settings(values, origins, warnings);
        settings.checkTypes(defaults);
        return settings;
    }

    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?\\d+");
    /** Where the default is a whole number the value must be a number (a rate may be fractional). */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+(ms|s|m|h|d))+|P.*");

    /**
     * Every value is checked against the kind of its default (a whole number, a duration, true/false) when the settings
     * are loaded, so {@code --set http.port=abc} is refused before a broker or registry is started, not when the first
     * component reads it.
     */
    private void checkTypes(Map<String, String> defaults) {
        for (Map.Entry<String, String> d : defaults.entrySet()) {
            String fallback = d.getValue() == null ? "" : d.getValue().trim();
            String value = values.get(d.getKey());
            if (fallback.isEmpty() || value == null || value.isEmpty() || value.equals(fallback)) {
                continue;
            }
            String where = "Setting '" + d.getKey() + "' (" + origin(d.getKey()) + ") ";
            if (INTEGER.matcher(fallback).matches() && !NUMBER.matcher(value).matches()) {
                throw new ConfigException(where + "must be a number like " + fallback + ", not '" + value + "'");
            }
            if ((fallback.equals("true") || fallback.equals("false")) && !(value.equals("true") || value.equals("false"))) {
                throw new ConfigException(where + "must be true or false, not '" + value + "'");
            }
            if (!INTEGER.matcher(fallback).matches() && DURATION.matcher(fallback).matches()) {
                // DurationValues answers null for text it cannot read.
                if (DurationValues.parse(value) == null) {
                    throw new ConfigException(where + "must be a duration like " + fallback + " (30s, 5m, 1h30m), not '" + value + "'");
                }
            }
        }
    }

    /** Reads a properties resource from the classpath, in file order. */
    public static Map<String, String> resource(Class<?> anchor, String name) {
        Properties props = new Properties();
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }

    public static String envName(String key) {
        return "BELLWETHER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new ConfigException("Missing setting '" + key + "'");
        }
        return value;
    }

    /** The value, or null when it is empty. */
    public String optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw new ConfigException("Setting '" + key + "' (" + origin(key) + ") is '" + get(key) + "', not a whole number");
        }
    }

    public boolean bool(String key) {
        String value = get(key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new ConfigException("Setting '" + key + "' (" + origin(key) + ") is '" + value + "', not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    public Duration duration(String key) {
        Duration d = DurationValues.parse(get(key));
        if (d == null) {
            throw new ConfigException("Setting '" + key + "' (" + origin(key) + ") is '" + get(key) + "', not a duration like 500ms, 30s, 5m");
        }
        return d;
    }

    public Path path(String key) {
        return Path.of(get(key));
    }

    public String origin(String key) {
        return origins.getOrDefault(key, "unset");
    }

    /** Every value with its origin, for {@code bellwether config}. Secrets are masked. */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, (isSecret(k) && !v.isEmpty() ? "******" : maskCredentials(v)) + "   [" + origin(k) + "]"));
        return out;
    }

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("(://[^/@:\\s]*):[^/@\\s]*@");

    /**
     * A value with the password of any URL in it masked ({@code https://bellwether:******@registry:8081}): a password
     * in {@code registry.url} must not reach {@code bellwether config} or a log line.
     */
    public static String maskCredentials(String value) {
        return value == null ? null : USER_INFO.matcher(value).replaceAll("$1:******@");
    }

    /** Kafka client properties: every {@code kafka.*} key without its prefix. */
    public Map<String, String> kafkaClientProperties() {
        Map<String, String> props = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("kafka.") && !k.equals("kafka.bootstrap.servers") && !v.isEmpty()) {
                props.put(k.substring(6), v);
            }
        });
        return props;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public List<String> warnings() {
        return warnings;
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("jaas") || k.contains("basic-auth");
    }
}
