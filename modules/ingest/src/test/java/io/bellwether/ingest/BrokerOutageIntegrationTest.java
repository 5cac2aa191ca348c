package io.bellwether.ingest;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.json.Json;
import io.bellwether.embedded.EmbeddedKafka;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.TicketEvent;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.ConfluentRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broker of its own, stopped between receipt and acknowledgement, then started again on the same data. */
class BrokerOutageIntegrationTest {

    @Test
    @DisplayName("should answer 503 with Retry-After while Kafka is down, count nothing as accepted, and store the retried delivery once it is back")
    void shouldNotAcknowledgeWhatKafkaDidNotTake(@TempDir Path dir) throws Exception {
        String topic = "ticket-events";
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, Map.of());
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic("dlq", 1, (short) 1))).all().get();
        }
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new ConfluentRegistryClient(SharedStack.get().registryUrl()), false, true);
        MetricRegistry metrics = new MetricRegistry();
        byte[] before = Fixtures.body("jira/issue_created.json");
        byte[] during = Fixtures.body("jira/issue_updated_status_updated.json");
        try (KafkaPublisher publisher = new KafkaPublisher(Map.of("bootstrap.servers", bootstrap, "reconnect.backoff.max.ms", "500"), serde,
                topic, "dlq", Duration.ofSeconds(4));
             WebhookReceiver receiver = new WebhookReceiver(Fixtures.config(Map.of()), publisher, new IngestMetrics(metrics), Clock.systemUTC()).start()) {
            WebhookClient client = new WebhookClient(receiver.port());
            String firstId = eventId(client.postSigned("jira", before));

            kafka.close();
            long started = System.nanoTime();
            HttpResponse<String> refused = client.postSigned("jira", during);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("kafka_unavailable", Json.MAPPER.readTree(refused.body()).get("error").asText());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "the PSA is told to retry");
            assertTrue(tookMs < 15_000, "answered within the ack timeout, not hung: " + tookMs + " ms");
            assertEquals(1, metrics.counter("bellwether.ingest.accepted{source=jira}").getCount(), "only the delivery Kafka took");
            assertEquals(1, metrics.counter("bellwether.ingest.rejected{source=jira,reason=kafka_unavailable}").getCount());

            kafka = EmbeddedKafka.start(dir, 0, Map.of());
            assertEquals(bootstrap, kafka.bootstrapServers(), "the broker comes back where it was");
            Set<String> stored = eventIds(bootstrap, topic, serde, 1);
            assertEquals(Set.of(firstId), stored, "nothing from the refused delivery reached the topic");

            String retriedId = retryUntilAccepted(client, during);
            Set<String> after = eventIds(bootstrap, topic, serde, 2);
            assertTrue(after.contains(retriedId));
            assertEquals(2, after.size());
            assertFalse(retriedId.equals(firstId));
        } finally {
            kafka.close();
        }
    }

    private static byte[] generic(int i) {
        return ("{\"sourceEventId\":\"outage-" + i + "\",\"ticketId\":\"OUT-" + i + "\",\"status\":\"Open\","
                + "\"occurredAt\":\"2026-11-16T10:00:00Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("should answer every delivery during an outage 503 within a second, reset none, throttle no retry, and store each accepted one once")
    void shouldFailFastDuringAnOutage(@TempDir Path dir) throws Exception {
        String topic = "ticket-events";
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, Map.of());
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic("dlq", 1, (short) 1))).all().get();
        }
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new ConfluentRegistryClient(SharedStack.get().registryUrl()), false, true);
        MetricRegistry metrics = new MetricRegistry();
        // The default acknowledgement timeout (10 s), which the outage must be answered long before; a rate limit whose
        // burst (130) holds the 121 retries only if the 120 refused deliveries gave their tokens back.
        try (KafkaPublisher publisher = new KafkaPublisher(Map.of("bootstrap.servers", bootstrap, "reconnect.backoff.max.ms", "500"), serde,
                topic, "dlq", Duration.ofSeconds(10));
             WebhookReceiver receiver = new WebhookReceiver(Fixtures.config(Map.of("ingest.rate-limit", "10", "ingest.rate-burst", "130")),
                     publisher, new IngestMetrics(metrics), Clock.systemUTC()).start()) {
            WebhookClient client = new WebhookClient(receiver.port());
            assertEquals(202, client.post("generic", generic(0), WebhookClient.signedHeaders("generic", generic(0), java.time.Instant.now()))
                    .statusCode());

            kafka.close();
            int deliveries = 120;
            java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(16);
            List<java.util.concurrent.Future<long[]>> answers = new java.util.ArrayList<>();
            for (int i = 1; i <= deliveries; i++) {
                int n = i;
                answers.add(senders.submit(() -> {
                    long started = System.nanoTime();
                    // A connection reset would throw here instead of giving a status.
                    HttpResponse<String> r = client.post("generic", generic(n), WebhookClient.signedHeaders("generic", generic(n), java.time.Instant.now()));
                    return new long[] {r.statusCode(), (System.nanoTime() - started) / 1_000_000};
                }));
                Thread.sleep(20);
            }
            long slowest = 0;
            StringBuilder latencies = new StringBuilder();
            for (java.util.concurrent.Future<long[]> answer : answers) {
                long[] a = answer.get();
                latencies.append(a[1]).append(' ');
                assertEquals(503, a[0], "every delivery during the outage is told to retry");
                slowest = Math.max(slowest, a[1]);
            }
            senders.shutdown();
            System.out.printf("Outage: %d deliveries answered 503, the slowest in %d ms (in order: %s)%n", deliveries, slowest, latencies);
            assertTrue(slowest < 1_000, "answered within a second, the slowest in " + slowest + " ms");

            kafka = EmbeddedKafka.start(dir, 0, Map.of());
            java.util.Map<String, Integer> accepted = new java.util.HashMap<>();
            for (int i = 1; i <= deliveries; i++) {
                String id = retryUntilAccepted(client, "generic", generic(i));
                accepted.merge(id, 1, Integer::sum);
            }
            assertEquals(0, metrics.counter("bellwether.ingest.rejected{source=generic,reason=rate_limited}").getCount(),
                    "refused deliveries gave their tokens back: their retries are not throttled");
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(bootstrap, topic, all -> all.size() >= deliveries + 1,
                    Duration.ofSeconds(30));
            java.util.Map<String, Long> onTopic = records.stream().map(r -> serde.deserialize(topic, r.value()).getEventId())
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            for (String id : accepted.keySet()) {
                assertEquals(1L, onTopic.getOrDefault(id, 0L), "every delivery answered 202 is on the topic exactly once: " + id);
            }
            assertEquals(deliveries + 1, onTopic.size());
        } finally {
            kafka.close();
        }
    }

    private static String retryUntilAccepted(WebhookClient client, String source, byte[] body) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        HttpResponse<String> response;
        do {
            response = client.post(source, body, WebhookClient.signedHeaders(source, body, java.time.Instant.now()));
            if (response.statusCode() == 202) {
                return eventId(response);
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("the retry was never accepted: " + response.statusCode() + " " + response.body());
    }

    private static String retryUntilAccepted(WebhookClient client, byte[] body) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        HttpResponse<String> response;
        do {
            response = client.postSigned("jira", body);
            if (response.statusCode() == 202) {
                return eventId(response);
            }
            Thread.sleep(500);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("the retry was never accepted: " + response.statusCode() + " " + response.body());
    }

    private static String eventId(HttpResponse<String> response) throws Exception {
        assertEquals(202, response.statusCode(), response.body());
        JsonNode json = Json.MAPPER.readTree(response.body());
        return json.get("eventIds").get(0).asText();
    }

    private static Set<String> eventIds(String bootstrap, String topic, AvroSerde<TicketEvent> serde, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(bootstrap, topic, all -> all.size() >= atLeast + 1,
                Duration.ofSeconds(atLeast == 1 ? 8 : 20));
        return records.stream().map(r -> serde.deserialize(topic, r.value()).getEventId()).collect(Collectors.toSet());
    }
}
