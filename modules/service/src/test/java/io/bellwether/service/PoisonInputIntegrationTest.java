package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input that once stopped detection for good, straight onto ticket-events of a running service (as a replay or another
 * producer would write it, past the webhook receiver's own limits): a 600,000-character assignee, which grew a ticket's
 * state past Kafka's 1 MiB record limit and wedged the topology on every restart; then thousands of small events on
 * one ticket. The service must process them, go on with the next 100 events, and stay ready throughout.
 */
class PoisonInputIntegrationTest {

    @Test
    @DisplayName("should process an oversized field and thousands of small events, then the next 100 events, with /ready 200 throughout")
    void shouldNotWedgeOnPoisonInput() throws Exception {
        String prefix = SharedStack.unique("poison") + ".";
        int port = QueryInstances.freePort();
        Map<String, String> settings = QueryInstances.settings(SharedStack.unique("poison-app"), prefix, Files.createTempDirectory("poison"), port);
        try (BellwetherService service = QueryInstances.start(settings)) {
            QueryInstances.awaitReady(port, Duration.ofSeconds(90));
            Properties props = new Properties();
            props.putAll(service.platform().clientProperties());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
            String topic = service.config().topics().ticketEvents();
            var serde = service.serdes().value(TicketEvent.class);
            Instant t0 = Instant.parse("2026-11-16T09:00:00Z");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                Tickets poison = ticket("POISON-1");
                send(producer, topic, serde, poison.created(t0.toString()).priority(Priority.P2).assign("a".repeat(600_000))
                        .status(StatusCategory.IN_PROGRESS).event());
                Tickets busy = ticket("BUSY-1");
                send(producer, topic, serde, busy.created(t0.toString()).assign("p0").status(StatusCategory.IN_PROGRESS).event());
                for (int i = 1; i <= 2_000; i++) {
                    send(producer, topic, serde, busy.update(t0.plusSeconds(30L * i).toString()).assign("person-" + i + "-" + "x".repeat(400))
                            .team("team-" + (i % 40)).status(i % 3 == 0 ? StatusCategory.WAITING_ON_CUSTOMER : StatusCategory.IN_PROGRESS)
                            .sourceEventId("busy-" + i).event());
                }
                for (int i = 1; i <= 100; i++) {
                    send(producer, topic, serde, ticket("NEXT-" + i).created(t0.plusSeconds(70_000L + i).toString()).assign("dana")
                            .status(StatusCategory.IN_PROGRESS).event());
                }
                producer.flush();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int seen = 0;
            while (System.nanoTime() < deadline) {
                assertEquals(200, QueryInstances.get(port, "/ready").status(), "ready throughout: " + QueryInstances.get(port, "/ready").body());
                seen = 0;
                for (int i : new int[] {1, 50, 100}) {
                    if (QueryInstances.get(port, "/api/tickets/test%3ANEXT-" + i).status() == 200) {
                        seen++;
                    }
                }
                if (seen == 3) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(3, seen, "the events after the poison were processed");
            JsonNode poisoned = QueryInstances.get(port, "/api/tickets/test%3APOISON-1").json().get("ticket");
            assertEquals(512, poisoned.get("assignee").asText().length(), "the oversized field was cut, the ticket kept");
            JsonNode busy = QueryInstances.get(port, "/api/tickets/test%3ABUSY-1").json().get("ticket");
            assertTrue(busy.get("assignee").asText().startsWith("person-2000-"), "every small event applied: " + busy);
            assertEquals(200, QueryInstances.get(port, "/ready").status());
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, io.bellwether.serde.AvroSerde<TicketEvent> serde,
                             TicketEvent event) {
        producer.send(new ProducerRecord<>(topic, null, event.getOccurredAt().toEpochMilli(), io.bellwether.events.TicketKeys.ticketKey(event),
                serde.serialize(topic, event)));
    }

}
