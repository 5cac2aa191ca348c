package io.bellwether.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The embedded default as one unit: broker and registry under one data directory, started together and
 * stopped in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;

    private EmbeddedStack(EmbeddedKafka kafka, EmbeddedRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Options of the embedded default; 0 ports pick free ones (the broker prefers its last port). */
    public record Options(Path dataDir, int kafkaPort, int registryPort, Path registryDistribution, Path cacheDir,
                          Map<String, String> brokerOverrides) {
        public static Options in(Path dataDir) {
            return new Options(dataDir, 0, 0, null, defaultCacheDir(), Map.of());
        }
    }

    public static EmbeddedStack start(Options options) {
        EmbeddedKafka kafka = EmbeddedKafka.start(options.dataDir(), options.kafkaPort(), options.brokerOverrides());
        try {
            EmbeddedRegistry registry = EmbeddedRegistry.start(options.dataDir(), options.registryPort(),
                    options.registryDistribution(), options.cacheDir(), Duration.ofSeconds(90));
            return new EmbeddedStack(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }

    /** {@code $XDG_CACHE_HOME/bellwether} or {@code ~/.cache/bellwether}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bellwether");
    }
}
