package io.bellwether.service;

import io.bellwether.common.config.ConfigException;
import io.bellwether.common.config.Settings;
import io.bellwether.detect.DetectConfig;
import io.bellwether.events.TopicNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Typed access to the service's settings. */
public record ServiceConfig(Settings settings) {

    /** The service's defaults with those of the receiver (and any other surface that ships its own). */
    public static Map<String, String> defaults() {
        Map<String, String> all = new java.util.TreeMap<>(Settings.resource(ServiceConfig.class, "/bellwether-defaults.properties"));
        all.putAll(io.bellwether.ingest.IngestConfig.defaults());
        all.putAll(io.bellwether.query.QueryConfig.defaults());
        return all;
    }

    public static ServiceConfig load(Path file, Map<String, String> flags) {
        return new ServiceConfig(Settings.load(defaults(), file, System.getenv(), flags));
    }

    /** Empty means: run the embedded broker. */
    public String bootstrapServers() {
        return settings.optional("kafka.bootstrap.servers");
    }

    public String registryUrl() {
        return settings.optional("registry.url");
    }

    public boolean isEmbedded() {
        return bootstrapServers() == null;
    }

    public Path dataDir() {
        return settings.path("data.dir");
    }

    public TopicNames topics() {
        return TopicNames.from(settings.asMap());
    }

    public String applicationId() {
        return settings.get("application.id");
    }

    public Path rulesFile() {
        String file = settings.optional("rules.file");
        return file == null ? null : Path.of(file);
    }

    public int partitions() {
        return settings.integer("topics.partitions");
    }

    public short replicationFactor() {
        return (short) settings.integer("topics.replication-factor");
    }

    public DetectConfig detectConfig() {
        DetectConfig.TimeDriver driver = switch (settings.get("time.driver")) {
            case "wall-clock" -> DetectConfig.TimeDriver.WALL_CLOCK;
            case "event-time" -> DetectConfig.TimeDriver.EVENT_TIME;
            default -> throw new ConfigException("Setting 'time.driver' (" + settings.origin("time.driver") + ") must be wall-clock or event-time");
        };
        DetectConfig base = driver == DetectConfig.TimeDriver.WALL_CLOCK ? DetectConfig.live(topics()) : DetectConfig.replay(topics());
        Duration skew = driver == DetectConfig.TimeDriver.WALL_CLOCK ? settings.duration("time.max-future-skew") : Duration.ZERO;
        return new DetectConfig(topics(), driver, settings.duration("time.tick"), settings.duration("time.aggregate-grace"), skew,
                base.resolvedRetention(), base.closedRetention(), settings.duration("time.catch-up-lag"), settings.duration("time.quiet-after"), 0);
    }
}
