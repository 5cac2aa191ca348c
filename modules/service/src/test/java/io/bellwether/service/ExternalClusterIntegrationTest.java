package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.embedded.SharedStack;
import io.bellwether.ingest.auth.HmacAuthenticator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service as a separate process, pointed at a broker and a registry started apart from it, configured by
 * environment variables alone (as in a container): it uses them, not an embedded pair, takes a signed webhook and
 * shows the ticket through its API.
 */
class ExternalClusterIntegrationTest {

    @Test
    @DisplayName("should run on an external broker and registry configured only by BELLWETHER_* environment variables")
    void shouldRunOnAnExternalClusterFromEnvironmentAlone(@TempDir Path dataDir) throws Exception {
        String bootstrap = SharedStack.get().bootstrapServers();
        String prefix = SharedStack.unique("ext") + ".";
        int httpPort = QueryInstances.freePort();
        int ingestPort = QueryInstances.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run");
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BELLWETHER_") || k.startsWith("KAFKA_"));
        env.put("BELLWETHER_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("BELLWETHER_REGISTRY_URL", SharedStack.get().registryUrl());
        env.put("BELLWETHER_DATA_DIR", dataDir.toString());
        env.put("BELLWETHER_APPLICATION_ID", SharedStack.unique("ext-app"));
        env.put("BELLWETHER_HTTP_PORT", String.valueOf(httpPort));
        env.put("BELLWETHER_INGEST_PORT", String.valueOf(ingestPort));
        env.put("BELLWETHER_INGEST_GENERIC_SECRET", "ext-secret");
        env.put("BELLWETHER_TOPICS_PARTITIONS", "2");
        for (String topic : new String[]{"ticket-events", "risk-signals", "ownership-gaps", "account-risk", "escalations", "control",
                "account-owners", "surges", "dead-letter"}) {
            env.put("BELLWETHER_TOPICS_" + topic.toUpperCase().replace('-', '_'), prefix + topic);
        }
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process service = builder.start();
        try {
            awaitReady(httpPort, service, log);
            String output = Files.readString(log);
            assertTrue(output.contains("Kafka: " + bootstrap), "uses the external broker:\n" + output);

            byte[] body;
            try (InputStream in = ExternalClusterIntegrationTest.class.getResourceAsStream("/external/generic-event.json")) {
                body = in.readAllBytes();
            }
            String timestamp = Instant.now().toString();
            HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + ingestPort + "/webhooks/generic"))
                    .header("Content-Type", "application/json")
                    .header("X-Bellwether-Timestamp", timestamp)
                    .header("X-Bellwether-Signature", HmacAuthenticator.bellwether("ext-secret", Duration.ofMinutes(5)).sign(body, timestamp))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());

            JsonNode ticket = awaitTicket(httpPort, "generic%3AEXT-1");
            assertEquals("umbrella", ticket.get("ticket").get("accountId").asText());
            assertEquals("dana", ticket.get("ticket").get("assignee").asText());
            try (Stream<Path> entries = Files.list(dataDir)) {
                Set<String> made = entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
                assertEquals(Set.of("streams"), made, "only Streams state here: no embedded broker or registry was started");
            }
        } finally {
            service.destroy();
            assertTrue(service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "stops on SIGTERM");
        }
        assertTrue(Files.readString(log).contains("Detection topology PENDING_SHUTDOWN -> NOT_RUNNING")
                || Files.readString(log).contains("NOT_RUNNING"), "closed cleanly:\n" + Files.readString(log));
    }

    private static void awaitReady(int port, Process service, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (QueryInstances.get(port, "/ready").status() != 200) {
            if (!service.isAlive() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("service not ready:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode awaitTicket(int port, String key) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            QueryInstances.Answer answer = QueryInstances.get(port, "/api/tickets/" + key);
            if (answer.status() == 200) {
                return answer.json();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("ticket never appeared: " + answer.body());
            }
            Thread.sleep(200);
        }
    }
}
