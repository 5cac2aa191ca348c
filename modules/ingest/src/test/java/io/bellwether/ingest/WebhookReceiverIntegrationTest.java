package io.bellwether.ingest;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.json.Json;
import io.bellwether.embedded.EmbeddedStack;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.DeadLetters;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.ConfluentRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receiver on loopback, publishing to the real broker through the real registry. */
class WebhookReceiverIntegrationTest {
    private static final int BODY_LIMIT = 64 * 1024;
    private static EmbeddedStack stack;
    private static String eventsTopic;
    private static String deadLetterTopic;
    private static AvroSerde<TicketEvent> serde;
    private static MetricRegistry registry;
    private static WebhookReceiver receiver;
    private static WebhookClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = SharedStack.get();
        eventsTopic = SharedStack.unique("ingest-events");
        deadLetterTopic = SharedStack.unique("ingest-dlq");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(eventsTopic, 3, (short) 1), new NewTopic(deadLetterTopic, 1, (short) 1))).all().get();
        }
        serde = new AvroSerde<>(TicketEvent.class, new ConfluentRegistryClient(stack.registryUrl()), false, true);
        registry = new MetricRegistry();
        IngestConfig config = Fixtures.config(Map.of("ingest.max-body-bytes", String.valueOf(BODY_LIMIT)));
        KafkaPublisher publisher = new KafkaPublisher(Map.of("bootstrap.servers", stack.bootstrapServers()), serde, eventsTopic,
                deadLetterTopic, Duration.ofSeconds(10));
        receiver = new WebhookReceiver(config, publisher, new IngestMetrics(registry), Clock.systemUTC()).start();
        client = new WebhookClient(receiver.port());
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private record Expected(String source, String fixture, String ticketId, TicketEventType type, StatusCategory category) {
    }

    @Test
    @DisplayName("should publish each vendor's delivery as canonical events on the ticket-events topic, 202 only once stored")
    void shouldPublishEveryVendor() throws Exception {
        List<Expected> cases = List.of(
                new Expected("jira", "jira/issue_created.json", "TEST-4", TicketEventType.CREATED, StatusCategory.NEW),
                new Expected("jira", "jira/issue_updated_status_updated.json", "TEST-11", TicketEventType.RESOLVED, StatusCategory.RESOLVED),
                new Expected("zendesk", "zendesk/ticket-status-changed.json", "5158", TicketEventType.RESOLVED, StatusCategory.RESOLVED),
                new Expected("connectwise", "connectwise/ticket-updated.json", "218734", TicketEventType.UPDATED, StatusCategory.WAITING_ON_CUSTOMER),
                new Expected("autotask", "autotask/ticket-update.json", "7812", TicketEventType.UPDATED, StatusCategory.IN_PROGRESS),
                new Expected("halopsa", "halopsa/ticket-updated.json", "10432", TicketEventType.UPDATED, StatusCategory.WAITING_ON_CUSTOMER),
                new Expected("servicenow", "servicenow/incident.json", "INC0010042", TicketEventType.STATUS_CHANGED, StatusCategory.WAITING_ON_CUSTOMER),
                new Expected("freshservice", "freshservice/ticket-updated.json", "8812", TicketEventType.UPDATED, StatusCategory.WAITING_ON_CUSTOMER),
                new Expected("generic", "generic/event.json", "OPS-77", TicketEventType.ASSIGNED, StatusCategory.IN_PROGRESS));
        Map<String, Expected> byEventId = new HashMap<>();
        for (Expected c : cases) {
            HttpResponse<String> response = client.postSigned(c.source, Fixtures.body(c.fixture));
            assertEquals(202, response.statusCode(), c.source + ": " + response.body());
            JsonNode json = Json.MAPPER.readTree(response.body());
            assertEquals(1, json.get("accepted").asInt());
            byEventId.put(json.get("eventIds").get(0).asText(), c);
        }
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(stack.bootstrapServers(), eventsTopic,
                all -> all.size() >= cases.size(), Duration.ofSeconds(20));
        assertEquals(cases.size(), records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertEquals(0, record.value()[0], "Confluent wire format: magic byte 0");
            TicketEvent event = serde.deserialize(eventsTopic, record.value());
            Expected c = byEventId.get(event.getEventId());
            assertNotNull(c, "every event on the topic was acknowledged to a sender: " + event.getEventId());
            assertEquals(c.source, event.getSourceSystem());
            assertEquals(c.ticketId, event.getTicketId(), c.source);
            assertEquals(c.type, event.getEventType(), c.source);
            assertEquals(c.category, event.getStatusCategory(), c.source);
            assertEquals(TicketKeys.ticketKey(event), new String(record.key(), StandardCharsets.UTF_8), "keyed by ticket");
            assertEquals(event.getOccurredAt().toEpochMilli(), record.timestamp(), "record time is the event time");
        }
        assertEquals(1, registry.counter("bellwether.ingest.accepted{source=zendesk}").getCount());
    }

    @Test
    @DisplayName("should give a redelivered vendor event the same event id, so the detection stage counts it once")
    void shouldKeepEventIdsStableAcrossRedeliveries() throws Exception {
        byte[] body = Fixtures.body("connectwise/ticket-updated.json");
        String first = Json.MAPPER.readTree(client.postSigned("connectwise", body).body()).get("eventIds").get(0).asText();
        String again = Json.MAPPER.readTree(client.postSigned("connectwise", body).body()).get("eventIds").get(0).asText();
        assertEquals(first, again);
    }

    private record Refusal(String name, String source, byte[] body, Map<String, String> headers, int status, String code, boolean kept) {
    }

    @Test
    @DisplayName("should refuse bad deliveries with a status and JSON reason, keeping authenticated bodies in the dead-letter topic")
    void shouldRefuseBadDeliveries() throws Exception {
        Instant now = Instant.now();
        byte[] zendesk = Fixtures.body("zendesk/ticket-created.json");
        byte[] jira = Fixtures.body("jira/issue_created.json");
        Map<String, String> wrongSecret = new HashMap<>(WebhookClient.signedHeaders("jira", jira, now));
        wrongSecret.put("X-Hub-Signature", "sha256=" + "0".repeat(64));
        Map<String, String> unsigned = Map.of("Content-Type", "application/json");
        byte[] malformed = "{\"webhookEvent\": \"jira:issue_created\", \"issue\": {".getBytes(StandardCharsets.UTF_8);
        byte[] userEvent = Fixtures.body("zendesk/user-created.json");
        byte[] noTicket = "{\"sourceEventId\":\"x-1\",\"status\":\"Open\",\"occurredAt\":\"2026-11-16T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
        byte[] textBody = "ticket 42 is on fire".getBytes(StandardCharsets.UTF_8);
        Map<String, String> textHeaders = new HashMap<>(WebhookClient.signedHeaders("servicenow", textBody, now));
        textHeaders.put("Content-Type", "text/plain");
        byte[] huge = new byte[BODY_LIMIT + 1];
        Arrays.fill(huge, (byte) ' ');

        List<Refusal> refusals = List.of(
                new Refusal("bad signature", "jira", jira, wrongSecret, 401, Rejection.BAD_SIGNATURE, false),
                new Refusal("no signature", "jira", jira, unsigned, 401, Rejection.MISSING_SIGNATURE, false),
                new Refusal("stale timestamp", "zendesk", zendesk,
                        WebhookClient.signedHeaders("zendesk", zendesk, now.minus(Duration.ofMinutes(10))), 401, Rejection.STALE_TIMESTAMP, false),
                new Refusal("oversize", "jira", huge, WebhookClient.signedHeaders("jira", huge, now), 413, Rejection.TOO_LARGE, false),
                new Refusal("malformed JSON", "jira", malformed, WebhookClient.signedHeaders("jira", malformed, now), 400, Rejection.MALFORMED, true),
                new Refusal("unknown event type", "zendesk", userEvent, WebhookClient.signedHeaders("zendesk", userEvent, now), 422,
                        Rejection.UNKNOWN_EVENT_TYPE, true),
                new Refusal("missing ticket id", "generic", noTicket, WebhookClient.signedHeaders("generic", noTicket, now), 422,
                        Rejection.MISSING_FIELD, true),
                new Refusal("not JSON", "servicenow", textBody, textHeaders, 415, Rejection.UNSUPPORTED_MEDIA_TYPE, true));

        for (Refusal r : refusals) {
            HttpResponse<String> response = client.post(r.source, r.body, r.headers);
            assertEquals(r.status, response.statusCode(), r.name + ": " + response.body());
            JsonNode json = Json.MAPPER.readTree(response.body());
            assertEquals(r.code, json.get("error").asText(), r.name);
            assertTrue(json.get("reason").asText().length() > 10, r.name + " says why: " + json);
            assertEquals(1, registry.counter("bellwether.ingest.rejected{source=" + r.source + ",reason=" + r.code + "}").getCount(), r.name);
        }

        List<Refusal> kept = refusals.stream().filter(Refusal::kept).toList();
        List<ConsumerRecord<byte[], byte[]>> letters = TopicReader.readUntil(stack.bootstrapServers(), deadLetterTopic,
                all -> all.size() >= kept.size(), Duration.ofSeconds(20));
        assertEquals(kept.size(), letters.size(), "exactly the authenticated refusals are kept, nothing unauthenticated");
        for (Refusal r : kept) {
            ConsumerRecord<byte[], byte[]> letter = letters.stream().filter(l -> Arrays.equals(l.value(), r.body)).findFirst()
                    .orElseThrow(() -> new AssertionError(r.name + " is in the dead-letter topic"));
            assertArrayEquals(r.body, letter.value(), "original bytes");
            assertTrue(header(letter, DeadLetters.REASON).orElseThrow().startsWith(r.code + ": "), r.name);
            assertEquals("webhook:" + r.source, header(letter, DeadLetters.SOURCE_TOPIC).orElseThrow());
            assertTrue(header(letter, "http.content-type").isPresent(), "the request headers travel with it");
            assertTrue(header(letter, "http.authorization").isEmpty(), "never the credentials");
        }
    }

    @Test
    @DisplayName("should answer an unknown source 404 and a GET 405, and list the sources with their authentication")
    void shouldRouteOnlyKnownSources() throws Exception {
        HttpResponse<String> unknown = client.post("nosuch", new byte[0], Map.of());
        assertEquals(404, unknown.statusCode());
        assertEquals("unknown_source", Json.MAPPER.readTree(unknown.body()).get("error").asText());
        assertEquals(405, client.get("/webhooks/jira").statusCode());
        JsonNode sources = Json.MAPPER.readTree(client.get("/webhooks").body()).get("sources");
        assertTrue(sources.get("zendesk").asText().contains("X-Zendesk-Webhook-Signature"), sources.toString());
        assertTrue(sources.get("halopsa").asText().contains("basic"), sources.toString());
    }

    @Test
    @DisplayName("should answer 429 with Retry-After once a source exceeds its rate, without touching other sources")
    void shouldRateLimitPerSource() throws Exception {
        IngestConfig tight = Fixtures.config(Map.of("ingest.rate-limit", "0.1", "ingest.rate-burst", "2"));
        MetricRegistry metrics = new MetricRegistry();
        try (KafkaPublisher publisher = new KafkaPublisher(Map.of("bootstrap.servers", stack.bootstrapServers()), serde, eventsTopic,
                deadLetterTopic, Duration.ofSeconds(10));
             WebhookReceiver limited = new WebhookReceiver(tight, publisher, new IngestMetrics(metrics), Clock.systemUTC()).start()) {
            WebhookClient c = new WebhookClient(limited.port());
            byte[] body = Fixtures.body("generic/event.json");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(c.postSigned("generic", body).statusCode());
            }
            assertEquals(List.of(202, 202, 429), statuses);
            HttpResponse<String> limitedResponse = c.postSigned("generic", body);
            assertTrue(limitedResponse.headers().firstValue("Retry-After").isPresent());
            assertEquals(202, c.postSigned("freshservice", Fixtures.body("freshservice/ticket-updated.json")).statusCode());
        }
    }

    private static Optional<String> header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
