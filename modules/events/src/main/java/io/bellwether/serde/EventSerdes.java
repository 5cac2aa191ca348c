package io.bellwether.serde;

import org.apache.avro.specific.SpecificRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out one {@link AvroSerde} per Avro type, all backed by the same registry client, so schema ids are
 * registered and cached once per process. Built from configuration, never held in a static field.
 */
public final class EventSerdes {
    private final SchemaRegistry registry;
    private final boolean autoRegister;
    private final Map<Class<?>, AvroSerde<?>> valueSerdes = new ConcurrentHashMap<>();
    private final TicketStreamSerde ticketStream;

    public EventSerdes(SchemaRegistry registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.ticketStream = new TicketStreamSerde(registry, value(io.bellwether.events.TicketEvent.class), autoRegister);
    }

    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> AvroSerde<T> value(Class<T> type) {
        return (AvroSerde<T>) valueSerdes.computeIfAbsent(type, t -> new AvroSerde<>(type, registry, false, autoRegister));
    }

    /** The ticket-events topic's values: ticket events and replay clock ticks. */
    public TicketStreamSerde ticketStream() {
        return ticketStream;
    }

    /** A serde for Avro-encoded keys (subject {@code <topic>-key}); Bellwether's own topics use string keys. */
    public <T extends SpecificRecord> AvroSerde<T> key(Class<T> type) {
        return new AvroSerde<>(type, registry, true, autoRegister);
    }

    public SchemaRegistry registry() {
        return registry;
    }
}
