package io.bellwether.ingest;

import io.bellwether.common.config.Settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Webhook bodies from src/test/resources/webhooks and a receiver configuration with known secrets. */
final class Fixtures {
    static final Instant RECEIVED = Instant.parse("2026-11-16T16:00:00Z");

    private Fixtures() {
    }

    static byte[] body(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/webhooks/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Delivery delivery(String source, String path) {
        return new Delivery(source, body(path), Map.of("Content-Type", List.of("application/json")), RECEIVED);
    }

    /** Every source enabled with the secret {@code <source>-secret}; HaloPSA's user is {@code halo}. */
    static Settings settings(Map<String, String> overrides) {
        Map<String, String> flags = new HashMap<>();
        IngestConfig.SOURCES.forEach(s -> flags.put("ingest." + s + ".secret", s + "-secret"));
        flags.put("ingest.halopsa.username", "halo");
        flags.put("ingest.port", "0");
        flags.putAll(overrides);
        return Settings.load(IngestConfig.defaults(), null, Map.of(), flags);
    }

    static IngestConfig config(Map<String, String> overrides) {
        return IngestConfig.from(settings(overrides));
    }
}
