package io.bellwether.serde;

import io.bellwether.events.ClockTick;
import io.bellwether.events.TicketEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values of the ticket-events topic, which carries two record types: ticket events (subject
 * {@code <topic>-value}) and the clock ticks a replay writes between them (subject
 * {@code <topic>-io.bellwether.events.ClockTick}). A record's schema id says which it is. A null value is neither: it
 * reads as null, and the detection stage skips and counts it, as Kafka treats a tombstone on a stream.
 */
public final class TicketStreamSerde implements Serde<SpecificRecord> {
    private static final String TICK = ClockTick.getClassSchema().getFullName();

    private final SchemaRegistry registry;
    private final AvroSerde<TicketEvent> events;
    private final AvroSerde<ClockTick> ticks;
    private final Map<Integer, Boolean> isTickById = new ConcurrentHashMap<>();

    public TicketStreamSerde(SchemaRegistry registry, AvroSerde<TicketEvent> events, boolean autoRegister) {
        this.registry = registry;
        this.events = events;
        this.ticks = AvroSerde.recordOnTopic(ClockTick.class, registry, autoRegister);
    }

    /** The clock ticks' own serde (its subject is the topic-record one). */
    public AvroSerde<ClockTick> ticks() {
        return ticks;
    }

    public AvroSerde<TicketEvent> events() {
        return events;
    }

    public byte[] serialize(String topic, SpecificRecord value) {
        if (value == null) {
            return null;
        }
        if (value instanceof TicketEvent event) {
            return events.serialize(topic, event);
        }
        if (value instanceof ClockTick tick) {
            return ticks.serialize(topic, tick);
        }
        throw new SerializationException("ticket-events topic '" + topic + "' carries TicketEvent and ClockTick records, not "
                + value.getSchema().getFullName());
    }

    public SpecificRecord deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int id = WireFormat.schemaId(topic, payload);
        boolean tick;
        try {
            tick = isTickById.computeIfAbsent(id, writerId -> TICK.equals(registry.schemaById(writerId).getFullName()));
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot read a record on topic '" + topic + "' written with schema id " + id
                    + ": " + e.getMessage(), e);
        }
        return tick ? ticks.deserialize(topic, payload) : events.deserialize(topic, payload);
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return this::deserialize;
    }
}
