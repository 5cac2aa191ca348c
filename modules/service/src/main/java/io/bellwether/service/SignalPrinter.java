package io.bellwether.service;

import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalState;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints every signal transition committed to the signal topics (fine-grained signals and consolidated ticket alerts)
 * from now on, one line each, so a person can watch Bellwether work. Reads committed records only: what it prints is what alerting systems will see.
 */
public final class SignalPrinter implements Runnable, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE dd MMM HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<RiskSignal> serde;
    private final PrintStream out;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong raised = new AtomicLong();
    private final AtomicLong resolved = new AtomicLong();
    private final AtomicLong lastPrinted = new AtomicLong(System.nanoTime());

    public SignalPrinter(Map<String, Object> clientProperties, AvroSerde<RiskSignal> serde, List<String> topics, PrintStream out) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.serde = serde;
        this.out = out;
        List<TopicPartition> partitions = new java.util.ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @Override
    public void run() {
        try {
            while (!stopped.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    RiskSignal signal = serde.deserialize(record.topic(), record.value());
                    if (signal != null) {
                        print(signal);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // Closing.
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void print(RiskSignal s) {
        lastPrinted.set(System.nanoTime());
        if (s.getState() == SignalState.RAISED) {
            raised.incrementAndGet();
        } else if (s.getState() == SignalState.RESOLVED) {
            resolved.incrementAndGet();
        }
        String subject = s.getSubject().getId();
        int colon = subject.indexOf(':');
        if (s.getSubject().getType() == io.bellwether.events.SubjectType.TICKET && colon > 0) {
            subject = subject.substring(colon + 1);
        }
        String severity = s.getState() == SignalState.RESOLVED ? "" : s.getSeverity().name();
        out.printf(Locale.ROOT, "%s  %-8s %-8s %-19s %-12s %s%n", TIME.format(s.getOccurredAt()), s.getState(), severity, s.getKind(),
                subject, s.getReason());
        out.flush();
    }

    /** Waits, at most {@code max}, until something was printed and then nothing more for {@code quiet}. */
    public void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + max.toNanos();
        long before = raised.get() + resolved.get();
        while (System.nanoTime() < deadline) {
            boolean printedSince = raised.get() + resolved.get() > before || lastPrinted.get() > started;
            if (printedSince && System.nanoTime() - lastPrinted.get() >= quiet.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    public long raised() {
        return raised.get();
    }

    public long resolved() {
        return resolved.get();
    }

    @Override
    public void close() {
        stopped.set(true);
        consumer.wakeup();
    }
}
