package io.bellwether.replay;

import io.bellwether.events.TicketEvent;
import io.bellwether.events.ClockTick;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.TicketStreamSerde;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replays into the ticket-events topic: events keyed by ticket, and a {@link ClockTick} (its time and the partition
 * count) to every partition, so aggregate stages can align on all of them.
 */
public final class KafkaReplaySink implements ReplaySink {
    private final Producer<String, byte[]> producer;
    private final TicketStreamSerde serde;
    private final String topic;
    private final int partitions;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param producer   an idempotent producer with acks=all (values already serialised)
     * @param partitions the topic's partition count, for clock ticks
     */
    public KafkaReplaySink(Producer<String, byte[]> producer, TicketStreamSerde serde, String topic, int partitions) {
        this.producer = producer;
        this.serde = serde;
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public void event(String ticketKey, TicketEvent event, long at) {
        checkFailure();
        producer.send(new ProducerRecord<>(topic, null, at, ticketKey, serde.serialize(topic, event)), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    @Override
    public void tick(long at) {
        byte[] value = serde.serialize(topic, new ClockTick(Instant.ofEpochMilli(at), partitions));
        for (int p = 0; p < partitions; p++) {
            producer.send(new ProducerRecord<>(topic, p, (Long) at, "", value), (meta, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }
    }

    /**
     * Publishes a surge history worked out in advance (as an in-process run of the topology worked it out) to the surges
     * topic, before the events: inhibition in the service then cannot depend on how fast the replay runs.
     */
    public static <N extends org.apache.avro.specific.SpecificRecord> void publishSurgeHistory(Producer<String, byte[]> producer, AvroSerde<N> serde,
                                           String surgesTopic, List<KeyValue<String, N>> history) {
        history.forEach(notice -> producer.send(new ProducerRecord<>(surgesTopic, notice.key, serde.serialize(surgesTopic, notice.value))));
        producer.flush();
    }

    @Override
    public void flush() {
        producer.flush();
        checkFailure();
    }

    private void checkFailure() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("Kafka refused a replayed record: " + e.getMessage(), e);
        }
    }
}
