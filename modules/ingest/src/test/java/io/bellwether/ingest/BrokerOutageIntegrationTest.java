package io.bellwether.ingest;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.http.Json;
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
