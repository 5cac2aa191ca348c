package io.bellwether.query;

import io.bellwether.events.RiskSignal;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The recent signal transitions (raised, updated, resolved) as alerting systems see them: read_committed from the
 * signal topics (the fine-grained signals, the consolidated ticket alerts and the security signals), every partition, by every instance, so
 * any instance answers the timeline the same. Bounded: the
 * newest {@code capacity} transitions are kept, and a start reads back only that far. Listeners (the live stream)
 * hear each new transition once it is in the timeline.
 */
public final class SignalTimeline implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalTimeline.class);

    /** One transition, flattened for JSON. */
    public record Entry(String signalId, String dedupKey, String kind, String severity, String state, String subjectType, String subjectId,
                        String accountId, String ticketKey, String ruleId, String reason, long firstRaisedAt, long occurredAt, int sequence,
                        String topic, int partition, long offset) {
        static Entry of(RiskSignal s, String topic, int partition, long offset) {
            return new Entry(s.getSignalId(), s.getDedupKey(), s.getKind().name(), s.getSeverity().name(), s.getState().name(),
                    s.getSubject().getType().name(), s.getSubject().getId(), s.getAccountId(),
                    s.getSubject().getType() == io.bellwether.events.SubjectType.TICKET ? s.getSubject().getId() : null, s.getRuleId(), s.getReason(), s.getFirstRaisedAt().toEpochMilli(),
                    s.getOccurredAt().toEpochMilli(), s.getSequence(), topic, partition, offset);
        }
    }

    /** Newest first by event time, then by topic position, so every instance orders ties alike. */
    static final Comparator<Entry> NEWEST_FIRST = Comparator.comparingLong(Entry::occurredAt).reversed()
            .thenComparing(Comparator.comparing(Entry::topic).reversed())
            .thenComparing(Comparator.comparingInt(Entry::partition).reversed())
            .thenComparing(Comparator.comparingLong(Entry::offset).reversed());

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<RiskSignal> serde;
    private final List<String> topics;
    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Long> caughtUpAt = new HashMap<>();
    private volatile boolean caughtUp;
    private volatile boolean stopped;
    private final java.util.concurrent.atomic.AtomicLong undecodable = new java.util.concurrent.atomic.AtomicLong();
    private volatile long latestOccurredAt = -1;

    public SignalTimeline(Map<String, Object> clientProperties, AvroSerde<RiskSignal> serde, String topic, int capacity) {
        this(clientProperties, serde, List.of(topic), capacity);
    }

    /** @param topics every topic of {@code RiskSignal} transitions to follow, in one timeline */
    public SignalTimeline(Map<String, Object> clientProperties, AvroSerde<RiskSignal> serde, List<String> topics, int capacity) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bellwether-timeline-" + Long.toHexString(System.nanoTime()));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.serde = serde;
        this.topics = List.copyOf(topics);
        this.capacity = capacity;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
        long back = Math.max(1, capacity / Math.max(1, partitions.size()));
        for (TopicPartition p : partitions) {
            consumer.seek(p, Math.max(begins.get(p), ends.get(p) - back));
            caughtUpAt.put(p, ends.get(p));
        }
    }

    public SignalTimeline start() {
        Thread thread = new Thread(this, "signal-timeline");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    add(record);
                }
                if (!caughtUp) {
                    caughtUp = caughtUpAt.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } catch (RuntimeException e) {
            log.error("The signal timeline stopped reading {}: {}", topics, e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        RiskSignal signal;
        try {
            signal = serde.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            // The topology's own output; one that cannot be read is logged and counted, the timeline goes on.
            undecodable.incrementAndGet();
            log.warn("Signal at {}-{}@{} cannot be read: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (signal == null) {
            return;
        }
        Entry entry = Entry.of(signal, record.topic(), record.partition(), record.offset());
        latestOccurredAt = Math.max(latestOccurredAt, entry.occurredAt());
        synchronized (entries) {
            entries.addLast(entry);
            while (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
        listeners.forEach(l -> l.accept(entry));
    }

    /** Newest first, at most {@code limit}, those {@code filter} accepts. */
    public List<Entry> recent(Predicate<Entry> filter, int limit) {
        List<Entry> copy;
        synchronized (entries) {
            copy = new ArrayList<>(entries);
        }
        return copy.stream().filter(filter).sorted(NEWEST_FIRST).limit(limit).toList();
    }

    /** True once everything committed before the start has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The newest event time of any transition read (-1 before the first). */
    public long latestOccurredAt() {
        return latestOccurredAt;
    }

    /** Transitions on the topic that could not be decoded (logged and skipped). */
    public long undecodable() {
        return undecodable.get();
    }

    public void listen(Consumer<Entry> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<Entry> listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
    }
}
