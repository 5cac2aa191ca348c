package io.bellwether.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bellwether.common.json.Json;
import io.bellwether.events.TicketEvent;
import io.bellwether.ingest.adapters.Adapter;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.InMemorySchemaRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random and mutated payloads through every adapter: the only acceptable outcomes are events or a
 * {@link Rejection} with a 4xx. Anything else would be a 500 for bad input. The seed is fixed so a failure
 * reproduces; {@code -Dbellwether.fuzz.iterations} runs more.
 */
class FuzzSpec {
    private static final String[] FIXTURES = {"jira/issue_created.json", "jira/issue_updated_fields_updated.json",
            "jira/issue_updated_status_updated.json", "zendesk/ticket-status-changed.json", "zendesk/ticket-created.json",
            "connectwise/ticket-updated.json", "autotask/ticket-update.json", "halopsa/ticket-updated.json", "servicenow/incident.json",
            "freshservice/ticket-updated.json", "generic/event.json"};
    private static final String[] NASTY = {"", " ", "null", "0", "-1", "99999999999999999999", "1e308", "NaN", "\u0000", "\uFFFF",
            "2026-13-45T99:99:99Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+1000000000-01-01T00:00:00Z", "a".repeat(5000),
            "../../etc/passwd", "{\"a\":1}", "zen:event-type:ticket.", "jira:issue_updated", "Priority 9 - Whatever", "P0", "p",
            "2026-11-16 10:31:05", "1450635909598", "-99999999999", "true", "+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z"};

    private final IngestConfig config = Fixtures.config(Map.of());
    /** Events must also survive serialization: a time Avro cannot hold would otherwise fail at publish, as a 503. */
    private final AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new InMemorySchemaRegistry(), false, true);
    private final int iterations = Integer.getInteger("bellwether.fuzz.iterations", 3000);

    @Test
    @DisplayName("should turn mutated vendor payloads into events or a 4xx rejection, never another exception")
    void shouldSurviveMutatedPayloads() throws Exception {
        Random random = new Random(20261123L);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < iterations; i++) {
            String fixture = FIXTURES[random.nextInt(FIXTURES.length)];
            String source = fixture.substring(0, fixture.indexOf('/'));
            JsonNode mutated = mutate(Json.MAPPER.readTree(Fixtures.body(fixture)), random, 1 + random.nextInt(4));
            if (run(source, Json.MAPPER.writeValueAsBytes(mutated), "seed 20261123 iteration " + i + " on " + fixture + ": " + mutated)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        assertTrue(accepted > iterations / 20, "mutations keep some payloads valid, so acceptance paths are exercised too: " + accepted);
        assertTrue(rejected > iterations / 20, "and many invalid: " + rejected);
    }

    @Test
    @DisplayName("should refuse random JSON documents of every shape through every adapter with a 4xx")
    void shouldSurviveRandomDocuments() {
        Random random = new Random(42L);
        for (int i = 0; i < iterations; i++) {
            JsonNode doc = randomNode(random, 0);
            ObjectNode body = doc.isObject() ? (ObjectNode) doc : JsonNodeFactory.instance.objectNode().set("x", doc);
            for (String source : IngestConfig.SOURCES) {
                String what = "random document " + i + " for " + source + ": " + body;
                assertTrue(!run(source, body.toString().getBytes(StandardCharsets.UTF_8), what), "refused, as the name says: " + what);
            }
        }
    }

    /** True when accepted; fails the test on anything but events or a 4xx rejection. */
    private boolean run(String source, byte[] body, String what) {
        Delivery delivery = new Delivery(source, body, Map.of("Content-Type", List.of("application/json")), Fixtures.RECEIVED);
        Adapter adapter = config.sources().get(source).adapter();
        try {
            List<TicketEvent> events = adapter.toEvents(Json.MAPPER.readTree(body), delivery);
            assertTrue(!events.isEmpty(), what);
            events.forEach(e -> serde.serialize("fuzz", e));
            return true;
        } catch (Rejection r) {
            assertTrue(r.status() >= 400 && r.status() < 500, what);
            return false;
        } catch (Exception | Error e) {
            fail("Uncaught " + e + " for " + what, e);
            return false;
        }
    }

    private static JsonNode mutate(JsonNode root, Random random, int times) {
        JsonNode node = root.deepCopy();
        for (int t = 0; t < times; t++) {
            List<ObjectNode> objects = new ArrayList<>();
            collect(node, objects);
            if (objects.isEmpty()) {
                break;
            }
            ObjectNode target = objects.get(random.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            Iterator<String> it = target.fieldNames();
            it.forEachRemaining(names::add);
            if (names.isEmpty()) {
                continue;
            }
            String field = names.get(random.nextInt(names.size()));
            switch (random.nextInt(7)) {
                case 0 -> target.remove(field);
                case 1 -> target.putNull(field);
                case 2 -> target.put(field, NASTY[random.nextInt(NASTY.length)]);
                case 3 -> target.put(field, random.nextLong());
                case 4 -> target.set(field, JsonNodeFactory.instance.arrayNode().add(NASTY[random.nextInt(NASTY.length)]));
                case 5 -> target.set(field, JsonNodeFactory.instance.objectNode().put("name", NASTY[random.nextInt(NASTY.length)]));
                default -> target.put(field, random.nextBoolean());
            }
        }
        return node;
    }

    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode object) {
            out.add(object);
        }
        node.forEach(child -> collect(child, out));
    }

    private static JsonNode randomNode(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = depth > 4 ? random.nextInt(4) : random.nextInt(6);
        return switch (kind) {
            case 0 -> f.textNode(NASTY[random.nextInt(NASTY.length)]);
            case 1 -> f.numberNode(random.nextLong());
            case 2 -> f.booleanNode(random.nextBoolean());
            case 3 -> f.nullNode();
            case 4 -> {
                ArrayNode array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomNode(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = f.objectNode();
                String[] keys = {"id", "type", "ticket", "issue", "fields", "detail", "Entity", "Fields", "EntityType", "Action", "Type",
                        "webhookEvent", "result", "records", "events", "ticketId", "status", "time", "key", "freshdesk_webhook", "Id"};
                for (int i = random.nextInt(6); i > 0; i--) {
                    object.set(keys[random.nextInt(keys.length)], randomNode(random, depth + 1));
                }
                yield object;
            }
        };
    }
}
