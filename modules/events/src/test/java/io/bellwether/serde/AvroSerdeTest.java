package io.bellwether.serde;

import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroSerdeTest {

    static TicketEvent event() {
        return TicketEvent.newBuilder().setEventId(TicketKeys.eventId("jira", "1")).setSourceSystem("jira").setSourceEventId("1")
                .setTicketId("OPS-1").setAccountId("acme").setEventType(TicketEventType.CREATED).setStatus("Open")
                .setStatusCategory(StatusCategory.OPEN).setPriorityLevel(Priority.P2).setActorType(ActorType.CUSTOMER)
                .setOccurredAt(Instant.parse("2026-11-16T09:00:00Z")).setReceivedAt(Instant.parse("2026-11-16T09:00:01Z"))
                .setChanges(List.of()).setAttributes(Map.of("k", "v")).build();
    }

    @Test
    @DisplayName("should frame values as magic byte 0, the registered schema id, then Avro binary, and read them back")
    void shouldRoundTripInConfluentWireFormat() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, registry, false, true);
        byte[] bytes = serde.serialize("events", event());

        assertEquals(0, bytes[0]);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(registry.lookup("events-value", TicketEvent.getClassSchema()), id);
        assertEquals(event(), serde.deserialize("events", bytes));
    }

    @Test
    @DisplayName("should write the next record intact after one that failed half-way through its encoding")
    void shouldWriteTheNextRecordIntactAfterAFailedOne() {
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new InMemorySchemaRegistry(), false, true);
        byte[] before = serde.serialize("events", event());
        TicketEvent broken = event();
        broken.setEventType(null); // a required field: the encoder has buffered the fields before it when it fails
        assertThrows(org.apache.kafka.common.errors.SerializationException.class, () -> serde.serialize("events", broken));

        byte[] after = serde.serialize("events", event());
        assertArrayEquals(before, after);
        assertEquals(event(), serde.deserialize("events", after));
    }

    @Test
    @DisplayName("should register keys under <topic>-key and values under <topic>-value")
    void shouldNameSubjectsAfterTheTopic() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        EventSerdes serdes = new EventSerdes(registry, true);
        serdes.key(TicketEvent.class).serialize("t", event());
        serdes.value(TicketEvent.class).serialize("t", event());
        assertEquals(1, registry.lookup("t-key", TicketEvent.getClassSchema()));
        assertEquals(1, registry.lookup("t-value", TicketEvent.getClassSchema()));
    }

    @Test
    @DisplayName("should refuse to write when auto-registration is off and the schema was never registered, naming the subject")
    void shouldRequireRegisteredSchemaWithoutAutoRegistration() {
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new InMemorySchemaRegistry(), false, false);
        SerializationException e = assertThrows(SerializationException.class, () -> serde.serialize("events", event()));
        assertTrue(e.getMessage().contains("events-value"), e.getMessage());
    }

    @Test
    @DisplayName("should fail an unknown schema id with a message naming the topic, the id and the registry")
    void shouldExplainUnknownSchemaId() {
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new InMemorySchemaRegistry(), false, true);
        byte[] bytes = {0, 0, 0, 0, 42, 1, 2, 3};
        SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("events", bytes));
        assertTrue(e.getMessage().contains("events") && e.getMessage().contains("42") && e.getMessage().contains("in-memory registry"),
                e.getMessage());
    }

    @Test
    @DisplayName("should reject bytes that are not the wire format instead of decoding garbage")
    void shouldRejectForeignBytes() {
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, new InMemorySchemaRegistry(), false, true);
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserialize("events", "{\"json\":true}".getBytes()));
        assertTrue(e.getMessage().contains("magic byte"), e.getMessage());
    }

    @Test
    @DisplayName("should name the registry URL and the subject when the registry is unreachable")
    void shouldExplainUnreachableRegistry() {
        ConfluentRegistryClient down = new ConfluentRegistryClient("http://127.0.0.1:1", null, java.time.Duration.ofSeconds(2));
        AvroSerde<TicketEvent> serde = new AvroSerde<>(TicketEvent.class, down, false, true);
        SerializationException e = assertThrows(SerializationException.class, () -> serde.serialize("events", event()));
        assertTrue(e.getMessage().contains("http://127.0.0.1:1") && e.getMessage().contains("events-value")
                && e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    @DisplayName("should read data written with an older schema into the current class (schema resolution by writer id)")
    void shouldResolveOlderWriterSchemas() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        AvroSerde<TicketEvent> current = new AvroSerde<>(TicketEvent.class, registry, false, true);
        // An older writer without 'vendor' and 'escalated': both default on read.
        Schema full = TicketEvent.getClassSchema();
        java.util.List<Schema.Field> kept = new java.util.ArrayList<>();
        for (Schema.Field f : full.getFields()) {
            if (!f.name().equals("vendor") && !f.name().equals("escalated")) {
                kept.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema older = Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, kept);
        assertTrue(older.getField("vendor") == null && older.getField("escalated") == null, "the older schema lacks the fields");
        int olderId = registry.register("events-value", older);
        byte[] written = GenericWriter.write(olderId, older, event());

        TicketEvent read = current.deserialize("events", written);
        assertEquals("OPS-1", read.getTicketId());
        assertEquals(false, read.getEscalated());
    }
}
