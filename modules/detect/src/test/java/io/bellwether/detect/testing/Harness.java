package io.bellwether.detect.testing;

import com.codahale.metrics.MetricRegistry;
import io.bellwether.detect.BellwetherTopology;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.StreamsSettings;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.AccountOwner;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Silence;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketKeys;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.EventSerdes;
import io.bellwether.serde.InMemorySchemaRegistry;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A fresh detection topology in a TopologyTestDriver, with an in-memory registry, explicit event times and an
 * explicit wall clock. One per test.
 */
public final class Harness implements AutoCloseable {
    public static final TopicNames TOPICS = TopicNames.defaults();

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, org.apache.avro.specific.SpecificRecord> events;
    private final TestOutputTopic<String, RiskSignal> signals;
    private final TestOutputTopic<String, RiskSignal> alerts;
    private final TestOutputTopic<String, RiskSignal> security;
    private final TestOutputTopic<String, RiskSignal> people;
    private final TestOutputTopic<String, OwnershipGap> gaps;
    private final TestOutputTopic<String, AccountRisk> risks;
    private final TestOutputTopic<String, Escalation> escalations;
    private final TestInputTopic<String, Silence> control;
    private final TestInputTopic<String, io.bellwether.events.Acknowledgement> acks;
    private final TestInputTopic<String, AccountOwner> owners;
    private final List<RiskSignal> seen = new ArrayList<>();
    private final MetricRegistry registry = new MetricRegistry();
    private final EventSerdes serdes;
    private final Path stateDir;

    private Harness(DetectConfig config, Rules rules, Instant wallClockStart) {
        this.serdes = new EventSerdes(new InMemorySchemaRegistry(), true);
        DetectMetrics metrics = new DetectMetrics(registry);
        Topology topology = BellwetherTopology.build(config, rules, serdes, metrics);
        try {
            stateDir = Files.createTempDirectory("bellwether-ttd");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties props = StreamsSettings.defaults("bellwether-test", "unused:9092", stateDir, TOPICS, metrics);
        // Every store update is visible to assertions at once.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        this.driver = new TopologyTestDriver(topology, props, wallClockStart);
        StringSerializer keyOut = new StringSerializer();
        StringDeserializer keyIn = new StringDeserializer();
        this.events = driver.createInputTopic(TOPICS.ticketEvents(), keyOut, serdes.ticketStream().serializer());
        this.signals = driver.createOutputTopic(TOPICS.riskSignals(), keyIn, serdes.value(RiskSignal.class).deserializer());
        this.alerts = driver.createOutputTopic(TOPICS.ticketAlerts(), keyIn, serdes.value(RiskSignal.class).deserializer());
        this.security = driver.createOutputTopic(TOPICS.securitySignals(), keyIn, serdes.value(RiskSignal.class).deserializer());
        this.people = driver.createOutputTopic(TOPICS.peopleSignals(), keyIn, serdes.value(RiskSignal.class).deserializer());
        this.gaps = driver.createOutputTopic(TOPICS.ownershipGaps(), keyIn, serdes.value(OwnershipGap.class).deserializer());
        this.risks = driver.createOutputTopic(TOPICS.accountRisk(), keyIn, serdes.value(AccountRisk.class).deserializer());
        this.escalations = driver.createOutputTopic(TOPICS.escalations(), keyIn, serdes.value(Escalation.class).deserializer());
        this.control = driver.createInputTopic(TOPICS.control(), keyOut, serdes.value(Silence.class).serializer());
        this.acks = driver.createInputTopic(TOPICS.acks(), keyOut, serdes.value(io.bellwether.events.Acknowledgement.class).serializer());
        this.owners = driver.createInputTopic(TOPICS.accountOwners(), keyOut, serdes.value(AccountOwner.class).serializer());
    }

    /** Replay semantics: only event time moves the clock; aggregate stages decide without grace. */
    public static Harness eventTime(Rules rules) {
        return new Harness(DetectConfig.replay(TOPICS).withAggregateGrace(Duration.ZERO), rules, Instant.parse("2030-01-01T00:00:00Z"));
    }

    public static Harness eventTime() {
        return eventTime(RulesParser.builtIn());
    }

    /** Live semantics: the wall clock also moves time; starts at {@code wallClock}. */
    public static Harness live(Rules rules, String wallClock) {
        DetectConfig live = DetectConfig.live(TOPICS).withAggregateGrace(Duration.ZERO).withMaxFutureSkew(Duration.ZERO).withTicketPartitions(1);
        return new Harness(live, rules, Instant.parse(wallClock));
    }

    public static Rules rules(String yaml) {
        return RulesParser.parse(yaml, "test-rules.yaml");
    }

    public Harness send(TicketEvent event) {
        events.pipeInput(TicketKeys.ticketKey(event), event, event.getOccurredAt());
        return this;
    }

    public Harness send(Tickets.Step step) {
        return send(step.event());
    }

    /** A clock tick (watermark) at {@code at}, as replays write them, on the ticket-events topic. */
    public Harness watermark(String at) {
        events.pipeInput("", new io.bellwether.events.ClockTick(Instant.parse(at), null), Instant.parse(at));
        return this;
    }

    /** A null value on the ticket-events topic: no event and no tick. */
    public Harness tombstone(String at) {
        events.pipeInput("", null, Instant.parse(at));
        return this;
    }

    /** A clock tick as a replay over a one-partition topic writes it: aggregate stages align on it. */
    public Harness alignedWatermark(String at) {
        return alignedWatermark(at, 1);
    }

    /**
     * A replay's clock tick that claims {@code partitions} ticket partitions tick; the driver has one, so with more than
     * one the aggregate stages never see the others' clocks (a slow upstream partition).
     */
    public Harness alignedWatermark(String at, int partitions) {
        events.pipeInput("", new io.bellwether.events.ClockTick(Instant.parse(at), partitions), Instant.parse(at));
        return this;
    }

    public Harness advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
        return this;
    }

    /** An acknowledgement, as the API writes it to the acks topic. */
    public Harness acknowledge(io.bellwether.events.Acknowledgement ack) {
        acks.pipeInput(ack.getDedupKey(), ack, ack.getAt());
        return this;
    }

    public Harness silence(Silence silence) {
        control.pipeInput(silence.getSilenceId(), silence, silence.getStartsAt());
        return this;
    }

    public Harness owner(String accountId, String ownerId, String at) {
        owners.pipeInput(accountId, AccountOwner.newBuilder().setAccountId(accountId).setOwnerId(ownerId).setOwnerName(ownerId)
                .setUpdatedAt(Instant.parse(at)).build(), Instant.parse(at));
        return this;
    }

    /** Every signal published so far (this call drains the topic into the remembered list). */
    public List<RiskSignal> signals() {
        seen.addAll(signals.readValuesToList());
        return List.copyOf(seen);
    }

    /** Signals of one rule for one subject id, in order. */
    public List<RiskSignal> signals(String ruleId, String subjectId) {
        return signals().stream().filter(s -> s.getRuleId().equals(ruleId) && s.getSubject().getId().equals(subjectId)).toList();
    }

    /** The consolidated ticket alert's transitions published since the last call, in order. */
    public List<RiskSignal> alerts() {
        return alerts.readValuesToList();
    }

    /** The security-signals topic's records published since the last call, in order, with their keys. */
    public List<org.apache.kafka.streams.KeyValue<String, RiskSignal>> security() {
        return security.readKeyValuesToList();
    }

    /** The people-signals topic's records published since the last call, in order, with their keys. */
    public List<org.apache.kafka.streams.KeyValue<String, RiskSignal>> people() {
        return people.readKeyValuesToList();
    }

    public List<OwnershipGap> gaps() {
        return gaps.readValuesToList();
    }

    public List<AccountRisk> risks() {
        return risks.readValuesToList();
    }

    public List<Escalation> escalations() {
        return escalations.readValuesToList();
    }

    /** A store as interactive queries see it: the entity stores' committed view (the driver commits after every record). */
    @SuppressWarnings("unchecked")
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        ReadOnlyKeyValueStore<String, V> builtIn = driver.getKeyValueStore(name);
        return builtIn != null ? builtIn : (ReadOnlyKeyValueStore<String, V>) driver.getAllStateStores().get(name);
    }

    public MetricRegistry metrics() {
        return registry;
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public EventSerdes serdes() {
        return serdes;
    }

    @Override
    public void close() {
        driver.close();
        try (java.util.stream.Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
