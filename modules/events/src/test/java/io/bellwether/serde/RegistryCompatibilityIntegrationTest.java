package io.bellwether.serde;

import io.bellwether.embedded.SharedStack;
import io.bellwether.events.RiskSignal;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry client against a real Apicurio Registry (Confluent-compatible API), and the BACKWARD rule enforced there. */
class RegistryCompatibilityIntegrationTest {

    private static Schema released() throws IOException {
        try (InputStream in = RegistryCompatibilityIntegrationTest.class.getResourceAsStream("/compatibility-baseline/RiskSignal.avsc")) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("should accept the current RiskSignal over the released one and refuse a change that breaks BACKWARD compatibility")
    void shouldRejectAnIncompatibleChangeInTheRegistry() throws IOException {
        ConfluentRegistryClient registry = new ConfluentRegistryClient(SharedStack.get().registryUrl());
        String subject = SharedStack.unique("compat") + "-value";
        registry.setCompatibility(subject, "BACKWARD");
        int releasedId = registry.register(subject, released());

        assertTrue(registry.checkCompatibility(subject, RiskSignal.getClassSchema()).compatible());
        registry.register(subject, RiskSignal.getClassSchema());

        Schema broken = new Schema.Parser().parse(RiskSignal.getClassSchema().toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\",\"doc\":\"added without a default\"},"));
        SchemaRegistry.CompatibilityResult check = registry.checkCompatibility(subject, broken);
        assertFalse(check.compatible(), "the registry must see the break: " + check.messages());
        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class, () -> registry.register(subject, broken));
        assertTrue(refused.getMessage().contains(subject) && refused.getMessage().contains(registry.url()), refused.getMessage());

        assertEquals(released(), new ConfluentRegistryClient(registry.url()).schemaById(releasedId), "ids keep resolving to what was registered");
    }

    @Test
    @DisplayName("should treat 'already exists' as success when two instances register the same new schema at the same moment")
    void shouldRegisterIdempotentlyAcrossInstances() throws Exception {
        String url = SharedStack.get().registryUrl();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String subject = SharedStack.unique("race") + "-value";
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                // Two instances: two clients with their own caches, released together on a subject nobody registered.
                java.util.List<java.util.concurrent.Future<Integer>> ids = new java.util.ArrayList<>();
                for (int instance = 0; instance < 2; instance++) {
                    ConfluentRegistryClient client = new ConfluentRegistryClient(url);
                    ids.add(pool.submit(() -> {
                        start.await();
                        return client.register(subject, RiskSignal.getClassSchema());
                    }));
                }
                start.countDown();
                assertEquals(ids.get(0).get(), ids.get(1).get(), "round " + round + ": both get the one id");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("should explain an unknown schema id with the registry URL and the id")
    void shouldExplainUnknownId() {
        ConfluentRegistryClient registry = new ConfluentRegistryClient(SharedStack.get().registryUrl());
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> registry.schemaById(987654));
        assertTrue(e.getMessage().contains("987654") && e.getMessage().contains(registry.url()), e.getMessage());
        assertEquals(404, e.httpStatus());
    }
}
