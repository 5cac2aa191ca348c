package io.bellwether.service;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.rules.Rules;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketKeys;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.ConfluentRegistryClient;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The detection topology running on the shared real broker and registry, on topics of its own, with a producer
 * of ticket events and a read_committed reader of any output topic. For integration tests.
 */
public final class RunningTopology implements AutoCloseable {
    private final TopicNames topics;
    private final EventSerdes serdes;
    private final DetectionApp app;
    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrap;

    public RunningTopology(DetectConfig.TimeDriver driver, Rules rules) throws Exception {
        this.bootstrap = SharedStack.get().bootstrapServers();
        this.topics = TopicNames.withPrefix(SharedStack.unique("it") + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicSetup.createTopics(admin, topics, 2, (short) 1);
        }
        this.serdes = new EventSerdes(new ConfluentRegistryClient(SharedStack.get().registryUrl()), true);
        TopicSetup.registerSchemas(serdes, topics, "BACKWARD");
        DetectConfig base = driver == DetectConfig.TimeDriver.WALL_CLOCK ? DetectConfig.live(topics) : DetectConfig.replay(topics);
        DetectConfig config = new DetectConfig(topics, driver, Duration.ofMillis(200), Duration.ZERO, Duration.ZERO,
                base.resolvedRetention(), base.closedRetention(), base.catchUpLag(), base.quietAfter(), 2);
        Path state = Files.createTempDirectory("bellwether-it-state");
        this.app = DetectionApp.start(SharedStack.unique("app"), Map.of("bootstrap.servers", bootstrap), state, 1, config, rules, serdes,
                DetectMetrics.discard(), Map.of());
        if (!app.awaitRunning(Duration.ofSeconds(60))) {
            throw new IllegalStateException("topology did not reach RUNNING");
        }
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
    }

    public TopicNames topics() {
        return topics;
    }

    public EventSerdes serdes() {
        return serdes;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public void send(TicketEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topics.ticketEvents(), null, event.getOccurredAt().toEpochMilli(), TicketKeys.ticketKey(event),
                serdes.value(TicketEvent.class).serialize(topics.ticketEvents(), event))).get();
    }

    /** A clock tick at {@code at} to every partition, as replays write them (its time in the record: the topic stamps arrival). */
    public void watermark(long at) throws Exception {
        byte[] tick = serdes.ticketStream().serialize(topics.ticketEvents(), new io.bellwether.events.ClockTick(java.time.Instant.ofEpochMilli(at), null));
        for (int p = 0; p < 2; p++) {
            producer.send(new ProducerRecord<>(topics.ticketEvents(), p, (Long) at, "", tick)).get();
        }
    }

    /** Reads {@code topic} from the start (committed records only) until {@code done} holds for what was read, or the timeout. */
    public List<ConsumerRecord<String, byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, SharedStack.unique("reader"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() {
        producer.close();
        app.close();
    }
}
