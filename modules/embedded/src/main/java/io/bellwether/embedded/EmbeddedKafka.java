package io.bellwether.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), running in this JVM on
 * loopback. Its log directory lives under the data directory, so topics and committed offsets survive a
 * restart; the ports it chose are remembered there too, so clients can reconnect to the same address.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String PORTS_FILE = "kafka-ports.properties";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /**
     * Starts the broker, formatting its storage on first use.
     *
     * @param dataDir   directory that holds the broker's log directory ({@code <dataDir>/kafka})
     * @param port      the client port; 0 reuses the last port when free, else picks a free one
     * @param overrides extra broker properties (e.g. {@code num.partitions})
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
        Path logDir = dataDir.resolve("kafka").toAbsolutePath();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new EmbeddedStartException("Cannot create the broker's data directory " + logDir + ": " + e.getMessage(), e);
        }
        Properties remembered = readPorts(dataDir);
        int brokerPort = pickPort(port, remembered.getProperty("broker.port"), "The embedded Kafka broker", "embedded.kafka.port");
        int controllerPort = pickPort(0, remembered.getProperty("controller.port"), "The embedded Kafka controller", "embedded.kafka.port");
        if (controllerPort == brokerPort) {
            controllerPort = Ports.freePort();
        }

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // A single node cannot replicate: every internal topic gets one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Streams applications join at once instead of waiting out the rebalance delay meant for big groups.
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created deliberately, with their partitions and compaction; never by a typo.
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        props.putAll(overrides);

        KafkaConfig config = new KafkaConfig(props, false);
        formatIfNeeded(logDir, controllerPort);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        long started = System.nanoTime();
        try {
            server.startup();
        } catch (RuntimeException e) {
            throw new EmbeddedStartException("The embedded Kafka broker failed to start from " + logDir + ": " + e.getMessage(), e);
        }
        String bootstrap = "127.0.0.1:" + brokerPort;
        writePorts(dataDir, brokerPort, controllerPort);
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, logDir);
        kafka.awaitReady(Duration.ofSeconds(60));
        log.info("Embedded Kafka broker ready at {} in {} ms (data: {})", bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir);
        return kafka;
    }

    private static int pickPort(int requested, String remembered, String what, String setting) {
        if (requested != 0) {
            return Ports.choose(requested, what, setting);
        }
        if (remembered != null) {
            int port = Integer.parseInt(remembered);
            if (Ports.isFree(port)) {
                return port;
            }
        }
        return Ports.freePort();
    }

    private static void formatIfNeeded(Path logDir, int controllerPort) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new EmbeddedStartException("Cannot format the embedded broker's storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin client = Admin.create(admin)) {
            while (true) {
                try {
                    if (!client.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new EmbeddedStartException("The embedded Kafka broker at " + bootstrapServers
                                + " did not become ready within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStartException("Interrupted while waiting for the embedded broker", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        log.info("Embedded Kafka broker at {} stopped", bootstrapServers);
    }

    private static Properties readPorts(Path dataDir) {
        Properties props = new Properties();
        Path file = dataDir.resolve(PORTS_FILE);
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                log.warn("Ignoring unreadable {}: {}", file, e.getMessage());
            }
        }
        return props;
    }

    private static void writePorts(Path dataDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.setProperty("broker.port", String.valueOf(brokerPort));
        props.setProperty("controller.port", String.valueOf(controllerPort));
        try (var out = Files.newOutputStream(dataDir.resolve(PORTS_FILE))) {
            props.store(out, "Ports of the embedded broker, reused on restart when free");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
