package io.bellwether.bench;

import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.query.SignalTimeline;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notes when each raise of one signal kind became readable to alerting systems: a listener on the service's own
 * signal timeline (read_committed), with a short fetch wait so the benchmark does not add its own delay. Beside it,
 * when the raise was first <em>written</em> (read_uncommitted, before its transaction commits): the difference is
 * what exactly-once adds, which tells the commit's share of the latency from the processing's.
 */
final class SignalWatcher implements AutoCloseable {
    private final SignalTimeline timeline;
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private final Map<String, Long> writtenAt = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> uncommitted;
    private final Thread uncommittedReader;

    SignalWatcher(Cluster cluster, String topic, SignalKind kind) {
        AvroSerde<RiskSignal> serde = cluster.serdes().value(RiskSignal.class);
        this.timeline = new SignalTimeline(Map.of("bootstrap.servers", cluster.bootstrap(), "fetch.max.wait.ms", 10), serde, topic, 1_000_000);
        timeline.listen(entry -> {
            if (entry.kind().equals(kind.name()) && entry.state().equals(SignalState.RAISED.name())) {
                seenAt.putIfAbsent(entry.subjectId(), System.currentTimeMillis());
            }
        });
        uncommitted = new KafkaConsumer<>(Map.of("bootstrap.servers", cluster.bootstrap(), "fetch.max.wait.ms", 10,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = uncommitted.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        uncommitted.assign(partitions);
        uncommitted.seekToEnd(partitions);
        partitions.forEach(uncommitted::position);
        uncommittedReader = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, byte[]> record : uncommitted.poll(Duration.ofMillis(200))) {
                        RiskSignal signal = record.value() == null ? null : serde.deserialize(topic, record.value());
                        if (signal != null && signal.getKind() == kind && signal.getState() == SignalState.RAISED) {
                            writtenAt.putIfAbsent(signal.getSubject().getId(), System.currentTimeMillis());
                        }
                    }
                }
            } catch (WakeupException e) {
                // Closing.
            } finally {
                uncommitted.close(Duration.ofSeconds(5));
            }
        }, "signal-watcher-uncommitted");
        uncommittedReader.setDaemon(true);
    }

    SignalWatcher start() {
        timeline.start();
        uncommittedReader.start();
        return this;
    }

    /** Wall-clock milliseconds when the raise for {@code subject} was first readable, or null. */
    Long seenAt(String subject) {
        return seenAt.get(subject);
    }

    /** Wall-clock milliseconds when the raise for {@code subject} was first written, committed or not, or null. */
    Long writtenAt(String subject) {
        return writtenAt.get(subject);
    }

    @Override
    public void close() {
        uncommitted.wakeup();
        timeline.close();
    }
}
