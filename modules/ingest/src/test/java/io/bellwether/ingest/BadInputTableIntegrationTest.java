package io.bellwether.ingest;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.json.Json;
import io.bellwether.embedded.EmbeddedStack;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.DeadLetters;
import io.bellwether.events.TicketEvent;
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

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, one row each, through the receiver at the default 1 MiB body limit onto the real broker: the status it
 * gets, the reason code, and its dead letter (signed bodies are kept). Rows are the inputs a reliability review found
 * accepted or answered 503 for ever: a 600,000-character field, a body just under the limit that fails parsing (its dead
 * letter once exceeded Kafka's record limit), overlong UTF-8, trailing data, a lone surrogate, a NUL in a ticket id.
 */
class BadInputTableIntegrationTest {
    private static final int BODY_LIMIT = 1_048_576;
    private static EmbeddedStack stack;
    private static String deadLetterTopic;
    private static String eventsTopic;
    private static WebhookReceiver receiver;
    private static WebhookClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = SharedStack.get();
        eventsTopic = SharedStack.unique("bad-events");
        deadLetterTopic = SharedStack.unique("bad-dlq");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(eventsTopic, 1, (short) 1), new NewTopic(deadLetterTopic, 1, (short) 1))).all().get();
        }
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new ConfluentRegistryClient(stack.registryUrl()), false, true);
        KafkaPublisher publisher = new KafkaPublisher(Map.of("bootstrap.servers", stack.bootstrapServers()), serde, eventsTopic,
                deadLetterTopic, Duration.ofSeconds(10));
        IngestConfig config = Fixtures.config(Map.of("ingest.max-body-bytes", String.valueOf(BODY_LIMIT)));
        receiver = new WebhookReceiver(config, publisher, new IngestMetrics(new MetricRegistry()), Clock.systemUTC()).start();
        client = new WebhookClient(receiver.port());
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private record Row(String name, byte[] body, int status, String code, boolean truncated) {
    }

    private static String event(String ticketId, String assignee) {
        return "{\"sourceEventId\":\"e-" + Math.abs((ticketId + assignee).hashCode()) + "\",\"ticketId\":\"" + ticketId
                + "\",\"status\":\"Open\",\"assignee\":\"" + assignee + "\",\"occurredAt\":\"2026-11-16T10:00:00Z\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withOverlongSlash() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] prefix = bytes("{\"sourceEventId\":\"e-1\",\"ticketId\":\"OPS");
        out.write(prefix, 0, prefix.length);
        out.write(0xc0);
        out.write(0xaf);
        byte[] rest = bytes("77\",\"status\":\"Open\",\"occurredAt\":\"2026-11-16T10:00:00Z\"}");
        out.write(rest, 0, rest.length);
        return out.toByteArray();
    }

    private static byte[] malformedOf(int size) {
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[1] = '"';
        return body;
    }

    @Test
    @DisplayName("should answer each bad input with its 4xx and reason, keep each signed one as a dead letter that fits the broker, and go on")
    void shouldRefuseEachBadInput() throws Exception {
        List<Row> rows = List.of(
                new Row("600,000-character assignee", bytes(event("OPS-1", "a".repeat(600_000))), 422, Rejection.FIELD_TOO_LONG, true),
                new Row("300-character ticket id", bytes(event("T".repeat(300), "dana")), 422, Rejection.INVALID_FIELD, false),
                new Row("malformed, 1,047,999 bytes", malformedOf(1_047_999), 400, Rejection.MALFORMED, true),
                new Row("malformed, 1,048,575 bytes", malformedOf(1_048_575), 400, Rejection.MALFORMED, true),
                new Row("overlong UTF-8 (\\xc0\\xaf for '/')", withOverlongSlash(), 400, Rejection.INVALID_ENCODING, false),
                new Row("trailing data after the object", bytes(event("OPS-2", "dana") + " {\"more\":1}"), 400, Rejection.MALFORMED, false),
                new Row("lone surrogate", bytes(event("OPS-3", "\\ud800x")), 400, Rejection.INVALID_ENCODING, false),
                new Row("NUL in the ticket id", bytes(event("OPS\\u00004", "dana")), 400, Rejection.INVALID_FIELD, false));

        Instant now = Instant.now();
        for (Row row : rows) {
            HttpResponse<String> response = client.post("generic", row.body, WebhookClient.signedHeaders("generic", row.body, now));
            assertEquals(row.status, response.statusCode(), row.name + ": " + response.body());
            JsonNode json = Json.MAPPER.readTree(response.body());
            assertEquals(row.code, json.get("error").asText(), row.name + ": " + json);
        }
        HttpResponse<String> fine = client.postSigned("generic", bytes(event("OPS-9", "dana")));
        assertEquals(202, fine.statusCode(), "a good event after all of them: " + fine.body());

        List<ConsumerRecord<byte[], byte[]>> letters = TopicReader.readUntil(stack.bootstrapServers(), deadLetterTopic,
                all -> all.size() >= rows.size(), Duration.ofSeconds(30));
        assertEquals(rows.size(), letters.size(), "every signed refusal is kept");
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            reasons.add(header(letter, DeadLetters.REASON));
            assertTrue(letter.value().length <= DeadLetters.MAX_VALUE_BYTES, "every dead letter fits: " + letter.value().length);
        }
        for (Row row : rows) {
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith(row.code + ": ")), row.name + " in " + reasons);
        }
        long truncated = letters.stream().filter(l -> "true".equals(header(l, DeadLetters.TRUNCATED))).count();
        assertEquals(rows.stream().filter(Row::truncated).count(), truncated, "the large ones kept as a prefix with size and hash");
        assertTrue(letters.stream().filter(l -> "true".equals(header(l, DeadLetters.TRUNCATED)))
                .allMatch(l -> header(l, DeadLetters.ORIGINAL_SHA256) != null && Integer.parseInt(header(l, DeadLetters.ORIGINAL_SIZE)) > 600_000));
        assertTrue(reasons.stream().anyMatch(r -> r.contains("assignee is 600,000 characters; the limit is 512")), reasons.toString());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
