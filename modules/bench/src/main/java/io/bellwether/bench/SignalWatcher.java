package io.bellwether.bench;

import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/** Reads committed signals as alerting systems do (read_committed) and notes when each raise of a kind became readable. */
final class SignalWatcher implements Runnable, AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<RiskSignal> serde;
    private final String topic;
    private final SignalKind kind;
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private final Map<String, Long> occurredAt = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    SignalWatcher(Cluster cluster, String topic, SignalKind kind) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.serde = cluster.serdes().value(RiskSignal.class);
        this.topic = topic;
        this.kind = kind;
        List<TopicPartition> partitions = IntStream.range(0, Cluster.PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    SignalWatcher start() {
        Thread thread = new Thread(this, "signal-watcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    RiskSignal s = serde.deserialize(topic, r.value());
                    if (s != null && s.getKind() == kind && s.getState() == SignalState.RAISED) {
                        seenAt.putIfAbsent(s.getSubject().getId(), now);
                        occurredAt.putIfAbsent(s.getSubject().getId(), s.getOccurredAt().toEpochMilli());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Wall-clock milliseconds when the raise for {@code subject} was first readable, or null. */
    Long seenAt(String subject) {
        return seenAt.get(subject);
    }

    Long occurredAt(String subject) {
        return occurredAt.get(subject);
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
    }
}
