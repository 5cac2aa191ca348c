package io.bellwether.service;

import io.bellwether.embedded.SharedStack;
import io.bellwether.serde.EventSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads a topic of the shared broker from its start, decoding its Avro values, as a downstream consumer would. */
final class TopicRecords {
    private TopicRecords() {
    }

    /** Everything on {@code topic} within a few seconds. */
    static <T extends SpecificRecord> List<T> read(EventSerdes serdes, String topic, Class<T> type) {
        return read(serdes, topic, type, records -> false, Duration.ofSeconds(3));
    }

    /** Reads until {@code done} holds for what was read, and fails the test if it never does. */
    static <T extends SpecificRecord> List<T> readUntil(EventSerdes serdes, String topic, Class<T> type, Predicate<List<T>> done) {
        List<T> records = read(serdes, topic, type, done, Duration.ofSeconds(30));
        assertTrue(done.test(records), "never read what was expected on " + topic + ": " + records);
        return records;
    }

    private static <T extends SpecificRecord> List<T> read(EventSerdes serdes, String topic, Class<T> type, Predicate<List<T>> done, Duration timeout) {
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.get().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, SharedStack.unique("topic-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() != null) {
                        records.add(serdes.value(type).deserialize(topic, record.value()));
                    }
                }
            }
        }
        return records;
    }
}
