package io.bellwether.bench;

import io.bellwether.replay.SyntheticHistory;

import io.bellwether.detect.BellwetherTopology;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.StreamsSettings;
import io.bellwether.detect.rules.Rules;
import io.bellwether.embedded.EmbeddedStack;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.ConfluentRegistryClient;
import io.bellwether.serde.EventSerdes;
import io.bellwether.service.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-process broker and registry every benchmark runs on, and the ways they use it. */
final class Cluster implements AutoCloseable {
    static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);

    private final EmbeddedStack stack;
    private final Admin admin;
    private final EventSerdes serdes;
    private final Path work;
    private final AtomicInteger runs = new AtomicInteger();

    Cluster(Path work) throws Exception {
        this.work = work;
        this.stack = EmbeddedStack.start(EmbeddedStack.Options.in(work.resolve("stack")));
        this.admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
        this.serdes = new EventSerdes(new ConfluentRegistryClient(stack.registryUrl()), true);
    }

    String bootstrap() {
        return stack.bootstrapServers();
    }

    Admin admin() {
        return admin;
    }

    EventSerdes serdes() {
        return serdes;
    }

    /** Fresh topics for one run, contract schemas registered. */
    TopicNames topics(String name) {
        TopicNames topics = TopicNames.withPrefix("bench-" + name + "-" + runs.incrementAndGet() + ".");
        TopicSetup.createTopics(admin, topics, PARTITIONS, (short) 1);
        TopicSetup.registerSchemas(serdes, topics, null);
        return topics;
    }

    /** The producer every figure is measured with: idempotent, acks=all, as the ingest service produces. */
    KafkaProducer<String, byte[]> producer() {
        return producer(true, 5);
    }

    /**
     * The passthrough's producer: acks=all and five requests in flight as an idempotent producer has, without the
     * idempotence: on this embedded broker an idempotent producer started after the Streams applications' transactional
     * ones was seen stuck for two minutes in OutOfOrderSequence retries, and the passthrough runs after them too.
     */
    KafkaProducer<String, byte[]> passthroughProducer() {
        return producer(false, 5);
    }

    /** acks=all, 5 ms linger, 128 KB batches; {@code inFlight} requests per connection (5 is Kafka's default). */
    private KafkaProducer<String, byte[]> producer(boolean idempotent, int inFlight) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Writes the events to the topic, keyed by ticket, and waits for every ack. Not idempotent: loading the 200,000 stock
     * events, the embedded broker was seen to refuse an idempotent producer's batches for minutes (its sequence reset to
     * 0, OutOfOrderSequenceException). One request in flight keeps the order; a retried batch may land twice, and since
     * rates divide the events loaded by the time to the end offsets, a duplicate can only understate a figure.
     */
    void load(String topic, List<TicketEvent> events, SyntheticHistory workload) {
        AvroSerde<TicketEvent> serde = serdes.value(TicketEvent.class);
        try (KafkaProducer<String, byte[]> producer = producer(false, 1)) {
            for (TicketEvent e : events) {
                producer.send(new ProducerRecord<>(topic, workload.key(e), serde.serialize(topic, e)));
            }
            producer.flush();
        }
    }

    /** The live service's detection settings on these topics, with the partition count the bench creates them with. */
    static DetectConfig live(TopicNames topics) {
        return DetectConfig.live(topics).withTicketPartitions(PARTITIONS);
    }

    private static final String STREAMS_OVERRIDE = "bench.streams.";

    /** Streams settings given as {@code -Dbench.streams.<setting>=<value>}, applied over the production defaults. */
    static java.util.SortedMap<String, String> overrides() {
        java.util.SortedMap<String, String> settings = new java.util.TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(STREAMS_OVERRIDE))
                .forEach(key -> settings.put(key.substring(STREAMS_OVERRIDE.length()), System.getProperty(key)));
        return settings;
    }

    /** A detection topology, started; {@code guarantee} exactly_once_v2 or at_least_once. */
    Running start(String name, TopicNames topics, DetectConfig config, Rules rules, String guarantee) throws Exception {
        return start(name, topics, BellwetherTopology.build(config, rules, serdes, DetectMetrics.discard()), guarantee);
    }

    /** Any topology, started with the detection application's production settings and {@code guarantee}. */
    Running start(String name, TopicNames topics, org.apache.kafka.streams.Topology topology, String guarantee) throws Exception {
        String app = "bench-" + name + "-" + runs.incrementAndGet();
        Path state = Files.createDirectories(work.resolve("state").resolve(app));
        Properties props = StreamsSettings.defaults(app, bootstrap(), state, topics, DetectMetrics.discard());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("bench.threads", 1));
        if (Integer.getInteger("bench.commit-ms") != null) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("bench.commit-ms"));
        }
        // Any other setting to try, e.g. -Dbench.streams.producer.linger.ms=5: the report's figures then answer for it.
        props.putAll(overrides());
        KafkaStreams streams = new KafkaStreams(topology, props);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        if (!running.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("topology did not start");
        }
        return new Running(app, streams, state, System.nanoTime());
    }

    /** Waits until group {@code group} has committed the end of {@code topic}; returns when (nanoTime). */
    long awaitConsumed(String group, String topic, Duration max) throws Exception {
        return drain(group, topic, 0, max).endNanos();
    }

    /**
     * A run from the first committed input to the last record any of the application's stages had to process: the
     * application's own repartition topics included, whose ends are known once the input is consumed.
     *
     * @param firstNanos     when the first input offset was committed
     * @param firstCommitted how many input records were committed then (processed before the window opened)
     * @param inputNanos     when the whole input was committed
     * @param endNanos       when every repartition topic was consumed too
     * @param internal       records that went through the application's repartition topics
     */
    record Drained(long firstNanos, long firstCommitted, long inputNanos, long endNanos, long internal) {
        /** Input records per second over the window, startup left out (the same for every application measured). */
        double rate(long events) {
            return (events - firstCommitted) / ((endNanos - firstNanos) / 1e9);
        }
    }

    /**
     * Follows group {@code group} over {@code topic}, then over the application's repartition topics, until all are consumed;
     * the window opens at the first commit past {@code alreadyConsumed} input records.
     */
    Drained drain(String group, String topic, long alreadyConsumed, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        Map<TopicPartition, Long> ends = ends(List.of(topic));
        long firstNanos = 0;
        long firstCommitted = 0;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(group + " did not consume " + topic + " within " + max);
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long sum = ends.keySet().stream().mapToLong(tp -> committed.get(tp) == null ? 0 : committed.get(tp).offset()).sum();
            if (firstNanos == 0 && sum > alreadyConsumed) {
                firstNanos = System.nanoTime();
                firstCommitted = sum - alreadyConsumed;
            }
            if (consumed(ends, committed)) {
                break;
            }
            Thread.sleep(20);
        }
        long inputNanos = System.nanoTime();
        List<String> repartitions = admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(group + "-") && name.endsWith("-repartition")).toList();
        Map<TopicPartition, Long> internal = repartitions.isEmpty() ? Map.of() : ends(repartitions);
        while (!consumed(internal, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(group + " did not consume its repartition topics within " + max);
            }
            Thread.sleep(20);
        }
        return new Drained(firstNanos, firstCommitted, inputNanos, System.nanoTime(), internal.values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * Offsets written per input event to each topic the application wrote: its changelogs and repartition topics (named
     * after the application) and {@code outputs}, in descending order. Under exactly_once_v2 an offset is a record or a
     * transaction marker (one per partition per commit).
     */
    String writtenPerEvent(String applicationId, List<String> outputs, int events) throws Exception {
        Map<TopicPartition, Long> ends = ends(List.copyOf(written(applicationId, outputs)));
        return perEvent(applicationId, ends, events, "%.2f in all", "; %s %.2f");
    }

    /**
     * Bytes on the broker's disk per input event in each topic the application wrote (as {@link #writtenPerEvent}):
     * record batches with their headers and transaction markers, what the broker appended, copied and checksummed.
     */
    String bytesPerEvent(String applicationId, List<String> outputs, int events) throws Exception {
        java.util.Set<String> topics = written(applicationId, outputs);
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(org.apache.kafka.common.Node::id).toList();
        Map<TopicPartition, Long> sizes = new HashMap<>();
        admin.describeLogDirs(brokers).allDescriptions().get().values().forEach(dirs -> dirs.values().forEach(dir ->
                dir.replicaInfos().forEach((tp, replica) -> {
                    if (topics.contains(tp.topic())) {
                        sizes.merge(tp, replica.size(), Long::sum);
                    }
                })));
        return perEvent(applicationId, sizes, events, "%,.0f bytes in all", "; %s %,.0f");
    }

    /** The topics an application wrote: its own (changelogs, repartition topics) and {@code outputs}. */
    private java.util.Set<String> written(String applicationId, List<String> outputs) throws Exception {
        java.util.Set<String> topics = new java.util.TreeSet<>(admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(applicationId + "-")).toList());
        topics.addAll(outputs);
        return topics;
    }

    /** Per input event, in all and by topic (the application's prefix dropped), largest first. */
    private static String perEvent(String applicationId, Map<TopicPartition, Long> byPartition, int events, String all, String each) {
        Map<String, Long> byTopic = new java.util.TreeMap<>();
        byPartition.forEach((tp, value) -> byTopic.merge(tp.topic().replace(applicationId + "-", ""), value, Long::sum));
        long total = byTopic.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder text = new StringBuilder(String.format(all, total / (double) events));
        byTopic.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> text.append(String.format(each, e.getKey(), e.getValue() / (double) events)));
        return text.toString();
    }

    private Map<TopicPartition, Long> ends(List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) -> description.partitions()
                .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static boolean consumed(Map<TopicPartition, Long> ends, Map<TopicPartition, OffsetAndMetadata> committed) {
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
    }

    record Running(String applicationId, KafkaStreams streams, Path stateDir, long startedNanos) implements AutoCloseable {
        @Override
        public void close() {
            streams.close(Duration.ofSeconds(60));
        }
    }

    @Override
    public void close() {
        admin.close();
        stack.close();
    }
}
