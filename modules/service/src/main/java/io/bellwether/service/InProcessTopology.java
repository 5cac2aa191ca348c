package io.bellwether.service;

import io.bellwether.detect.BellwetherTopology;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.StreamsSettings;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.ClockTick;
import io.bellwether.events.TicketEvent;
import org.apache.avro.specific.SpecificRecord;
import io.bellwether.events.TopicNames;
import io.bellwether.replay.ReplaySink;
import io.bellwether.replay.Replayer;
import io.bellwether.serde.EventSerdes;
import io.bellwether.serde.InMemorySchemaRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The detection topology run in this process, with no broker, driven by event time only: the very graph
 * {@link BellwetherTopology#build} gives the service, in Kafka's own TopologyTestDriver, one partition per topic,
 * every record processed to the end before the next. Nothing depends on processing speed or thread timing, so the
 * same history and rules give the same signals, byte for byte, on every run; a backtest needs no cluster.
 *
 * <p>Clock ticks arrive as a one-partition replay writes them, so aggregate stages align on them exactly as they do
 * on a broker; the order of events is the replay's, as on a ticket-events topic.
 */
public final class InProcessTopology implements ReplaySink, AutoCloseable {
    private static final Instant WALL_CLOCK = Instant.parse("2000-01-01T00:00:00Z");

    private final TopicNames topics;
    private final EventSerdes serdes;
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SpecificRecord> events;
    private final TestOutputTopic<String, RiskSignal> signals;
    private final TestOutputTopic<String, RiskSignal> alerts;
    private final TestOutputTopic<String, RiskSignal> security;
    private final TestOutputTopic<String, RiskSignal> people;
    private final TestOutputTopic<String, SurgeNotice> surges;
    private final List<RiskSignal> collected = new ArrayList<>();
    private final List<RiskSignal> collectedAlerts = new ArrayList<>();
    private final List<RiskSignal> collectedSecurity = new ArrayList<>();
    private final List<RiskSignal> collectedPeople = new ArrayList<>();
    private final List<KeyValue<String, SurgeNotice>> surgeHistory = new ArrayList<>();
    /**
     * Outputs nobody reads here (other sinks, repartitions, changelogs): the driver keeps every record produced until it
     * is read, so they are drained as they come, or a year of history would not fit in memory.
     */
    private final Map<String, TestOutputTopic<byte[], byte[]>> discarded = new HashMap<>();

    public InProcessTopology(Rules rules, DetectMetrics metrics) {
        this.topics = TopicNames.defaults();
        this.serdes = new EventSerdes(new InMemorySchemaRegistry(), true);
        DetectConfig config = DetectConfig.replay(topics).withAggregateGrace(Duration.ZERO);
        try {
            this.stateDir = Files.createTempDirectory("bellwether-in-process");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = StreamsSettings.defaults("bellwether-in-process", "in-process:0", stateDir, topics, metrics);
        // The driver commits after every record: a store cache would only add a copy per write.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // The service's graph, stores and changelogs; its stores on the heap, as a one-shot run needs no RocksDB.
        this.driver = new TopologyTestDriver(BellwetherTopology.build(config, rules, serdes, metrics, BellwetherTopology.StoreEngine.IN_MEMORY),
                props, WALL_CLOCK);
        this.events = driver.createInputTopic(topics.ticketEvents(), new StringSerializer(), serdes.ticketStream().serializer());
        this.signals = driver.createOutputTopic(topics.riskSignals(), new StringDeserializer(), serdes.value(RiskSignal.class).deserializer());
        this.alerts = driver.createOutputTopic(topics.ticketAlerts(), new StringDeserializer(), serdes.value(RiskSignal.class).deserializer());
        this.security = driver.createOutputTopic(topics.securitySignals(), new StringDeserializer(), serdes.value(RiskSignal.class).deserializer());
        this.people = driver.createOutputTopic(topics.peopleSignals(), new StringDeserializer(), serdes.value(RiskSignal.class).deserializer());
        this.surges = driver.createOutputTopic(topics.surges(), new StringDeserializer(), serdes.value(SurgeNotice.class).deserializer());
    }

    /**
     * What one in-process run published.
     *
     * @param signals the fine-grained signal transitions (risk-signals)
     * @param alerts  the consolidated ticket alert's transitions (ticket-alerts)
     * @param security the SECURITY_INDICATOR transitions (security-signals)
     * @param people   the SUSTAINED_LOAD transitions (people-signals)
     */
    public record Result(List<RiskSignal> signals, List<RiskSignal> alerts, List<RiskSignal> security,
                         List<KeyValue<String, SurgeNotice>> surgeHistory, List<RiskSignal> people) {
    }

    /** Replays {@code events} in-process with clock ticks every {@code tickEvery} of event time, as a replay into a service would. */
    public static Result run(Rules rules, List<TicketEvent> events, Duration tickEvery) {
        return run(rules, events, tickEvery, n -> { });
    }

    /** The same, reporting how many events were played so far. */
    public static Result run(Rules rules, List<TicketEvent> events, Duration tickEvery, java.util.function.LongConsumer progress) {
        try (InProcessTopology topology = new InProcessTopology(rules, DetectMetrics.discard())) {
            new Replayer(topology).replay(events, new Replayer.Options(0, Duration.ZERO, tickEvery, null), progress);
            return new Result(topology.signals(), topology.alerts(), topology.security(), topology.surgeHistory(), topology.people());
        }
    }

    @Override
    public void event(String ticketKey, TicketEvent event, long at) {
        events.pipeInput(ticketKey, event, at);
        drain();
    }

    @Override
    public void tick(long at) {
        events.pipeInput("", new ClockTick(Instant.ofEpochMilli(at), 1), at);
        drain();
    }

    @Override
    public void flush() {
        drain();
    }

    /** Every signal transition so far, in the order the topology published them. */
    public List<RiskSignal> signals() {
        drain();
        return List.copyOf(collected);
    }

    /** Every consolidated ticket alert transition so far, in publication order. */
    public List<RiskSignal> alerts() {
        drain();
        return List.copyOf(collectedAlerts);
    }

    /** The SECURITY_INDICATOR transitions published so far (security-signals). */
    public List<RiskSignal> security() {
        drain();
        return List.copyOf(collectedSecurity);
    }

    /** The SUSTAINED_LOAD transitions published so far (people-signals). */
    public List<RiskSignal> people() {
        drain();
        return List.copyOf(collectedPeople);
    }

    /**
     * Every surge notice published so far, in order: the surge history a live replay of the same events can be given in
     * advance so that it inhibits exactly what this run inhibited, however fast it runs.
     */
    public List<KeyValue<String, SurgeNotice>> surgeHistory() {
        drain();
        return List.copyOf(surgeHistory);
    }

    public TopicNames topics() {
        return topics;
    }

    public EventSerdes serdes() {
        return serdes;
    }

    /** The underlying driver, for reading other outputs or state. */
    public TopologyTestDriver driver() {
        return driver;
    }

    private void drain() {
        // Read as we go: the driver keeps every output record until read.
        if (!signals.isEmpty()) {
            collected.addAll(signals.readValuesToList());
        }
        if (!alerts.isEmpty()) {
            collectedAlerts.addAll(alerts.readValuesToList());
        }
        if (!security.isEmpty()) {
            collectedSecurity.addAll(security.readValuesToList());
        }
        if (!people.isEmpty()) {
            collectedPeople.addAll(people.readValuesToList());
        }
        while (!surges.isEmpty()) {
            surgeHistory.add(surges.readKeyValue());
        }
        for (String topic : driver.producedTopicNames()) {
            if (topic.equals(topics.riskSignals()) || topic.equals(topics.ticketAlerts()) || topic.equals(topics.securitySignals())
                    || topic.equals(topics.peopleSignals()) || topic.equals(topics.surges())) {
                continue;
            }
            TestOutputTopic<byte[], byte[]> other = discarded.computeIfAbsent(topic,
                    t -> driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            while (!other.isEmpty()) {
                other.readRecord();
            }
        }
    }

    @Override
    public void close() {
        driver.close();
        try (var walk = Files.walk(stateDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp folder is harmless.
        }
    }
}
