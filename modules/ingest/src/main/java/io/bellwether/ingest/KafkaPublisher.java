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
 * returning: the receiver answers 2xx only after this returns. The producer's own delivery timeout is shorter than
 * the wait, so a dead broker surfaces as a failed send (a 503) within {@code ackTimeout}, not as a hung webhook.
 */
public final class KafkaPublisher implements Publisher {
    private final Producer<byte[], byte[]> producer;
    private final AvroSerde<TicketEvent> serde;
    private final String eventsTopic;
    private final String deadLetterTopic;
    private final Duration ackTimeout;

    public KafkaPublisher(Map<String, Object> clientProperties, AvroSerde<TicketEvent> serde, String eventsTopic, String deadLetterTopic,
                          Duration ackTimeout) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int timeout = (int) ackTimeout.toMillis();
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(2000, timeout));
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1000, timeout / 2));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "bellwether-ingest");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.serde = serde;
        this.eventsTopic = eventsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.ackTimeout = ackTimeout;
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
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        List<Future<RecordMetadata>> pending = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<byte[], byte[]> record : records) {
                pending.add(producer.send(record));
            }
            for (Future<RecordMetadata> future : pending) {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
