package io.bellwether.detect;

import io.bellwether.events.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The production settings the benchmark's figures and the exactly-once reasoning in the README stand on. */
class StreamsSettingsTest {

    private final Properties settings = StreamsSettings.defaults("bellwether", "localhost:9092", Path.of("state"),
            TopicNames.defaults(), DetectMetrics.discard());

    @Test
    @DisplayName("should publish each signal once, with the state that decided it: exactly_once_v2, acks=all, read_committed")
    void shouldRunExactlyOnce() {
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, settings.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("all", settings.get(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG)));
        assertEquals("read_committed", settings.get(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG)));
    }

    @Test
    @DisplayName("should send records while the thread works and commit every 50 ms, one produce request in flight")
    void shouldSendBeforeTheCommitComesAndCommitEvery50Ms() {
        StreamsConfig config = new StreamsConfig(settings);
        Map<String, Object> producer = config.getProducerConfigs("bellwether-StreamThread-1-producer");
        // Transactions v2 restart each partition's sequence per transaction: a second request in flight can overtake the first.
        assertEquals(1, ((Number) producer.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).intValue());
        // Not Kafka Streams' 100 ms linger, under which every record waited for the commit's flush.
        assertEquals(5, Integer.parseInt(String.valueOf(producer.get(ProducerConfig.LINGER_MS_CONFIG))));
        assertEquals(50L, config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    }
}
