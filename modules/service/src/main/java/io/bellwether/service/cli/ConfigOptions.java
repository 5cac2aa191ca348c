package io.bellwether.service.cli;

import io.bellwether.service.ServiceConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options every command shares: where configuration comes from, and the settings set most often. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (see 'bellwether config').")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting, e.g. --set topics.partitions=6 (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "An existing Kafka cluster (default: start the embedded broker).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "An existing Confluent-compatible schema registry.")
    String registryUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where embedded data and Streams state live (default ./data).")
    Path dataDir;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file (YAML), merged over the built-in rules.")
    Path rules;

    public ServiceConfig load(Map<String, String> commandDefaults) {
        Map<String, String> flags = new LinkedHashMap<>(commandDefaults);
        flags.putAll(set);
        put(flags, "kafka.bootstrap.servers", bootstrapServers);
        put(flags, "registry.url", registryUrl);
        put(flags, "data.dir", dataDir == null ? null : dataDir.toString());
        put(flags, "rules.file", rules == null ? null : rules.toString());
        return ServiceConfig.load(file, flags);
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
