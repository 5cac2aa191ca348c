package io.bellwether.service;

import io.bellwether.detect.BellwetherTopology;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.StreamsSettings;
import io.bellwether.detect.rules.Rules;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The detection topology running as a Kafka Streams application. A stream thread that dies on an unexpected
 * error is replaced (its task restarts from the last committed transaction, nothing is lost); the state is kept
 * under the data directory so a restart restores locally instead of replaying changelogs.
 */
public final class DetectionApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DetectionApp.class);

    private final KafkaStreams streams;
    private final Topology topology;
    private final CountDownLatch running = new CountDownLatch(1);

    private DetectionApp(KafkaStreams streams, Topology topology) {
        this.streams = streams;
        this.topology = topology;
    }

    public static DetectionApp start(String applicationId, Map<String, Object> clientProperties, Path stateDir, int threads,
                                     DetectConfig config, Rules rules, EventSerdes serdes, DetectMetrics metrics,
                                     Map<String, Object> overrides) {
        if (config.timeDriver() == DetectConfig.TimeDriver.WALL_CLOCK && config.ticketPartitions() == 0) {
            // Live, the aggregate stages wait for every ticket partition's clock: they must know how many there are.
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(clientProperties)) {
                config = config.withTicketPartitions(TopicSetup.partitions(admin, config.topics().ticketEvents()));
            }
        }
        Topology topology = BellwetherTopology.build(config, rules, serdes, metrics);
        Properties props = StreamsSettings.defaults(applicationId, String.valueOf(clientProperties.get("bootstrap.servers")), stateDir,
                config.topics(), metrics);
        clientProperties.forEach(props::put);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.putAll(overrides);
        KafkaStreams streams = new KafkaStreams(topology, props);
        DetectionApp app = new DetectionApp(streams, topology);
        streams.setStateListener((now, before) -> {
            log.info("Detection topology {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                app.running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("A stream thread failed; replacing it (its tasks resume from the last commit)", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return app;
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topology topology() {
        return topology;
    }

    /**
     * Stops the topology and says how it ended. Kafka Streams wakes {@code close} before it calls the state listener,
     * so on JVM shutdown the listener's last line can be lost; this line is written by the closing thread itself.
     */
    @Override
    public void close() {
        boolean closed = streams.close(Duration.ofSeconds(30));
        if (closed) {
            log.info("Detection topology closed: {}", streams.state());
        } else {
            log.warn("Detection topology did not close within 30 s: {}", streams.state());
        }
    }
}
