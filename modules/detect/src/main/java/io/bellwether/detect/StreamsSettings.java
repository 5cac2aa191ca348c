package io.bellwether.detect;

import io.bellwether.detect.errors.DeadLetterDeserializationHandler;
import io.bellwether.detect.errors.DeadLetterProcessingHandler;
import io.bellwether.detect.errors.DeadLetterProductionHandler;
import io.bellwether.events.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.Properties;

/** Production defaults for the detection application; configuration may override any of them. */
public final class StreamsSettings {
    /** Config key of the dead-letter topic the handlers write to. */
    public static final String DLQ_TOPIC = "bellwether.dlq.topic";
    /** Config key under which the handlers find the metrics object. */
    public static final String METRICS = "bellwether.metrics";
    /** The default commit interval: the latency / throughput setting ({@code kafka.commit.interval.ms}). */
    public static final int COMMIT_INTERVAL_MS = 50;

    private StreamsSettings() {
    }

    public static Properties defaults(String applicationId, String bootstrapServers, Path stateDir, TopicNames topics,
                                      DetectMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        // A signal must be published once, with the state that decided it: read-process-write in one transaction.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        // One produce request in flight. Under transactions v2 every transaction starts its partitions at sequence 0,
        // and a broker with no state yet for the new epoch rejects any later batch that overtakes the first one
        // (KAFKA-18202, a retriable OutOfOrderSequence); with five in flight that happened on most commits, and the
        // retries' backoff (up to a second) was the latency: p95 1.4 s with the topology idle. One request still
        // carries every partition's batch.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        // Kafka Streams lingers 100 ms to fill batches; under exactly-once every commit flushes anyway, so that only held
        // each record until the commit, which then waited for the broker to take the interval's records at once. At the
        // producer's own default of 5 ms they are on the broker by the time the commit comes (event -> written p50
        // 44-80 ms -> 13-18 ms at 2,000 events/s, docs/bench/2026-12-07-linger-and-commit.md).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        // Global tables (silences, owners, surges) get the same dead-letter treatment as everything else.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(DLQ_TOPIC, topics.deadLetter());
        props.put(METRICS, metrics);
        // Replication follows the broker's default.replication.factor, so one setting serves a laptop and a cluster.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // The latency / throughput setting: a signal is visible only once its transaction commits. At 50 ms (Kafka
        // Streams' exactly-once default is 100) event -> committed signal at 2,000 events/s fell from p50 111-133 and p99
        // 211-414 ms to p50 77-91 and p99 157-359 ms, with throughput relative to the stock job inside the runs' spread
        // (docs/bench/2026-12-07-linger-and-commit.md). A deployment that mostly replays backlogs may raise it.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
        // A warm copy of every task's state on another instance: when one instance dies, the others answer for its
        // keys from their standby at once (marked stale) instead of 503 until the group notices, and take over fast.
        // With a single instance there is nobody to hold it, and it costs nothing.
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        // Internal topics stamp arrival time like Bellwether's own; event time is read from the values instead.
        props.put(StreamsConfig.topicPrefix(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG), "LogAppendTime");
        props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, PayloadTimestamps.class.getName());
        return props;
    }
}
