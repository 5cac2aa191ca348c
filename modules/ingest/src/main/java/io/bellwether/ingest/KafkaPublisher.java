package io.bellwether.ingest;

import io.bellwether.events.DeadLetters;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketKeys;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes to Kafka with {@code acks=all} and the idempotent producer, and waits for every acknowledgement before
 * returning: the receiver answers 2xx only after this returns. While Kafka is known to be unreachable
 * ({@link BrokerHealth}) nothing is sent and the delivery is refused at once; a wait in progress gives up as soon as it
 * is; otherwise the producer's own delivery timeout, shorter than the wait, bounds it at {@code ackTimeout}.
 */
public final class KafkaPublisher implements Publisher {
    private final Map<String, Object> producerProps;
    private volatile Producer<byte[], byte[]> producer;
    private final AvroSerde<TicketEvent> serde;
    private final String eventsTopic;
    private final String deadLetterTopic;
    private final Duration ackTimeout;
    private final BrokerHealth health;

    public KafkaPublisher(Map<String, Object> clientProperties, AvroSerde<TicketEvent> serde, String eventsTopic, String deadLetterTopic,
                          Duration ackTimeout) {
        this(clientProperties, serde, eventsTopic, deadLetterTopic, ackTimeout, Duration.ofMillis(250), Duration.ofMillis(500));
    }

    /**
     * @param healthInterval how often Kafka's reachability is checked
     * @param healthTimeout  how long a check waits before counting Kafka down: a delivery is refused within about the sum
     */
    public KafkaPublisher(Map<String, Object> clientProperties, AvroSerde<TicketEvent> serde, String eventsTopic, String deadLetterTopic,
                          Duration ackTimeout, Duration healthInterval, Duration healthTimeout) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int timeout = (int) ackTimeout.toMillis();
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(2000, timeout));
        // send() itself blocks (for metadata or buffer space) before any future exists; a dead broker must not hold a
        // worker there for seconds while the health check is about to say so.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "bellwether-ingest");
        this.producerProps = Map.copyOf(props);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.serde = serde;
        this.eventsTopic = eventsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.ackTimeout = ackTimeout;
        this.health = new BrokerHealth(clientProperties, healthInterval, healthTimeout);
    }

    @Override
    public boolean available() {
        return health.up();
    }

    @Override
    public void publish(List<TicketEvent> events) throws PublishException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        for (TicketEvent event : events) {
            byte[] key = TicketKeys.ticketKey(event).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] value;
            try {
                value = serde.serialize(eventsTopic, event);
            } catch (RuntimeException e) {
                // The registry is part of the write path: if it cannot give a schema id, nothing is accepted.
                throw new PublishException("Cannot serialize for " + eventsTopic + ": " + e.getMessage(), e);
            }
            records.add(new ProducerRecord<>(eventsTopic, null, event.getOccurredAt().toEpochMilli(), key, value));
        }
        sendAll(records);
    }

    @Override
    public void deadLetter(String source, byte[] body, Headers requestHeaders, String reason) throws PublishException {
        sendAll(List.of(DeadLetters.fromRequest(deadLetterTopic, source, body, requestHeaders, reason)));
    }

    private void sendAll(List<ProducerRecord<byte[], byte[]>> records) throws PublishException {
        if (!health.up()) {
            throw unavailable();
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        List<Future<RecordMetadata>> pending = new ArrayList<>(records.size());
        Producer<byte[], byte[]> used = producer;
        try {
            for (ProducerRecord<byte[], byte[]> record : records) {
                pending.add(used.send(record));
            }
            for (Future<RecordMetadata> future : pending) {
                // In slices, so a broker seen going down ends the wait now rather than at the acknowledgement timeout.
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException();
                    }
                    try {
                        future.get(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
                        break;
                    } catch (TimeoutException slice) {
                        if (!health.up()) {
                            // Answering 503 while the record may still go out later would store what we refused.
                            abandon(used);
                            throw unavailable();
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new PublishException("Kafka did not acknowledge: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("Kafka did not acknowledge within " + ackTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("Interrupted while waiting for Kafka", e);
        } catch (RuntimeException e) {
            throw new PublishException("Kafka refused the send: " + e.getMessage(), e);
        }
    }

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Drops every record the producer still holds (closing it at once fails their sends) and starts a fresh one, so a
     * delivery refused for an outage never reaches the topic when the broker returns.
     */
    private synchronized void abandon(Producer<byte[], byte[]> failed) {
        if (producer != failed) {
            return;
        }
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        failed.close(Duration.ZERO);
    }

    private PublishException unavailable() {
        return new PublishException("Kafka has been unreachable since " + java.time.Instant.ofEpochMilli(health.downSince()), null);
    }

    @Override
    public void close() {
        health.close();
        producer.close(Duration.ofSeconds(5));
    }
}
