package io.bellwether.detect;

import io.bellwether.detect.account.AccountFeed;
import io.bellwether.detect.account.AccountOutputs;
import io.bellwether.detect.account.AccountProcessor;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.SurgeState;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.surge.Dimensions;
import io.bellwether.detect.surge.SurgeHistoryUpdater;
import io.bellwether.detect.surge.SurgeOutputs;
import io.bellwether.detect.surge.SurgeProcessor;
import io.bellwether.detect.team.TeamFeed;
import io.bellwether.detect.team.TeamOutputs;
import io.bellwether.detect.team.TeamProcessor;
import io.bellwether.detect.ticket.TicketOutputs;
import io.bellwether.detect.ticket.TicketProcessor;
import io.bellwether.events.AccountOwner;
import io.bellwether.events.Acknowledgement;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Silence;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.EventSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The detection topology, built without side effects from configuration, rules and serdes, so the service and
 * every test run exactly the same graph.
 *
 * <pre>
 * ticket-events ──► ticket-lifecycle (per ticket) ──► risk-signals, security-signals, ticket-alerts, ownership-gaps
 *                        │ facts, signal notes, clock ticks
 *                        ├──► account-feed ──► account-risk (per account) ──► risk-signals, ownership-gaps, account-risk, escalations
 *                        ├──► team-feed ─────► technician-load (per team) ──► risk-signals
 *                        └──► surge-feed ────► surge-detection (per dimension) ──► risk-signals, surges ──► (inhibition)
 *                                              (and per security indicator, per account's security matches) ──► security-signals
 * control ──► control-silences (global)   acks ──► signal-acks (global)   account-owners ──► account-risk   surges ──► surge-active (global)
 * </pre>
 */
public final class BellwetherTopology {
    static final String TICKET_STAGE = "ticket-lifecycle";
    static final String ACCOUNT_STAGE = "account-risk";
    static final String TEAM_STAGE = "technician-load";
    static final String SURGE_STAGE = "surge-detection";
    /** The steps that key the ticket stage's feed for each aggregate stage. */
    static final String ACCOUNT_ROUTE = "account-feed-route";
    static final String TEAM_ROUTE = "team-feed-route";
    static final String SURGE_ROUTE = "surge-feed-route";

    private BellwetherTopology() {
    }

    /** Where the stores keep their state; the graph and the store names are the same either way. */
    public enum StoreEngine {
        /** RocksDB on the state directory: the service, where state outgrows memory and survives restarts. */
        ROCKSDB,
        /**
         * The JVM heap and no changelog: a one-shot run over a bounded history that never restores (the in-process
         * backtest), with no native call and no changelog record per access.
         */
        IN_MEMORY;

        KeyValueBytesStoreSupplier supplier(String name) {
            return this == ROCKSDB ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        }
    }

    public static Topology build(DetectConfig config, Rules rules, EventSerdes serdes, DetectMetrics metrics) {
        return build(config, rules, serdes, metrics, StoreEngine.ROCKSDB);
    }

    public static Topology build(DetectConfig config, Rules rules, EventSerdes serdes, DetectMetrics metrics, StoreEngine engine) {
        TopicNames topics = config.topics();
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> keys = Serdes.String();
        Serde<FeedItem> feedSerde = serdes.value(FeedItem.class);

        builder.globalTable(topics.control(), Consumed.with(keys, serdes.value(Silence.class)).withName("control-source"),
                Materialized.<String, Silence>as(engine.supplier(StoreNames.CONTROL_SILENCES))
                        .withKeySerde(keys).withValueSerde(serdes.value(Silence.class)));
        // Global surge history for inhibition: versions of one occurrence merge so that an ended surge never reopens.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(engine.supplier(StoreNames.SURGE_ACTIVE), keys,
                        serdes.value(SurgeNotice.class)).withLoggingDisabled(),
                topics.surges(), Consumed.with(keys, serdes.value(SurgeNotice.class)).withName("surges-source"),
                () -> new SurgeHistoryUpdater(StoreNames.SURGE_ACTIVE));

        // Each stage owns its stores: the names are given here once, to the stage's processor and to its stores.
        StageStores ticketStores = StageStores.ticket(StoreNames.TICKET_STATE, StoreNames.CONTROL_SILENCES, StoreNames.SIGNAL_ACKS, StoreNames.SURGE_ACTIVE);
        StageStores accountStores = StageStores.aggregate(StoreNames.ACCOUNT_STATE, StoreNames.ACCOUNT_PENDING, StoreNames.ACCOUNT_CLOCK,
                StoreNames.CONTROL_SILENCES, StoreNames.SIGNAL_ACKS);
        StageStores teamStores = StageStores.aggregate(StoreNames.TEAM_STATE, StoreNames.TEAM_PENDING, StoreNames.TEAM_CLOCK,
                StoreNames.CONTROL_SILENCES, StoreNames.SIGNAL_ACKS);
        StageStores surgeStores = StageStores.aggregate(StoreNames.SURGE_STATE, StoreNames.SURGE_PENDING, StoreNames.SURGE_CLOCK,
                StoreNames.CONTROL_SILENCES, StoreNames.SIGNAL_ACKS);

        StageSinks sinks = new StageSinks();
        Serde<RiskSignal> signalSerde = serdes.value(RiskSignal.class);
        Serde<OwnershipGap> gapSerde = serdes.value(OwnershipGap.class);

        // Ticket stage: per ticket; facts and clock ticks to every aggregate stage's routing, signal notes to the account's.
        KStream<String, SpecificRecord> events = builder.stream(topics.ticketEvents(),
                Consumed.with(keys, serdes.ticketStream()).withName("ticket-events-source")
                        .withTimestampExtractor(new TicketEventTimestamps(config.maxFutureSkew().toMillis())));
        TicketOutputs ticketOut = new TicketOutputs(Outlet.to("ticket-signals-sink"), Outlet.to("ticket-security-sink"), Outlet.to("ticket-alerts-sink"),
                Outlet.to("ticket-gaps-sink"), Outlet.to(ACCOUNT_ROUTE, TEAM_ROUTE, SURGE_ROUTE), Outlet.to(ACCOUNT_ROUTE));
        KStream<String, FeedItem> ticketFeed = events.process(new StageSupplier<>(
                () -> new TicketProcessor(rules, config, metrics, ticketStores, ticketOut),
                Set.of(store(engine, ticketStores.state(), serdes.value(TicketState.class), true))), Named.as(TICKET_STAGE));
        sinks.add(TICKET_STAGE, ticketOut.signals(), topics.riskSignals(), signalSerde);
        sinks.add(TICKET_STAGE, ticketOut.security(), topics.securitySignals(), signalSerde);
        sinks.add(TICKET_STAGE, ticketOut.alerts(), topics.ticketAlerts(), signalSerde);
        sinks.add(TICKET_STAGE, ticketOut.gaps(), topics.ownershipGaps(), gapSerde);

        // Account stage: facts and signal notes by account, owners named on their topic; clock ticks to every partition.
        // Owners are an input: NO_ACCOUNT_OWNER resolves the moment one is named.
        KStream<String, FeedItem> owners = builder.stream(topics.accountOwners(),
                        Consumed.with(keys, serdes.value(AccountOwner.class)).withName("account-owners-source")
                                .withTimestampExtractor(new OwnerRecordTimestamps()))
                .filter((account, owner) -> owner != null, Named.as("account-owners-filter"))
                .map((account, owner) -> KeyValue.pair(owner.getAccountId(), ownerNote(owner)), Named.as("account-owners-note"));
        AccountOutputs accountOut = new AccountOutputs(Outlet.to("account-signals-sink"), Outlet.to("account-gaps-sink"),
                Outlet.to("account-risk-sink"), Outlet.to("account-escalations-sink"));
        ticketFeed.flatMap(BellwetherTopology::byAccount, Named.as(ACCOUNT_ROUTE))
                .merge(owners, Named.as("account-feed-merge"))
                .repartition(feed("account-feed", keys, feedSerde))
                .process(new StageSupplier<>(() -> new AccountProcessor(rules, config, metrics, accountStores, accountOut),
                        aggregateStores(engine, accountStores, serdes.value(AccountState.class), feedSerde)), Named.as(ACCOUNT_STAGE));
        sinks.add(ACCOUNT_STAGE, accountOut.signals(), topics.riskSignals(), signalSerde);
        sinks.add(ACCOUNT_STAGE, accountOut.gaps(), topics.ownershipGaps(), gapSerde);
        sinks.add(ACCOUNT_STAGE, accountOut.risk(), topics.accountRisk(), serdes.value(AccountRisk.class));
        sinks.add(ACCOUNT_STAGE, accountOut.escalations(), topics.escalations(), serdes.value(Escalation.class));

        // Technician stage: facts by team (and by the team a ticket just left).
        TeamOutputs teamOut = new TeamOutputs(Outlet.to("team-signals-sink"));
        ticketFeed.flatMap((key, item) -> byTeam(item), Named.as(TEAM_ROUTE))
                .repartition(feed("team-feed", keys, feedSerde))
                .process(new StageSupplier<>(() -> new TeamProcessor(rules, config, metrics, teamStores, teamOut),
                        aggregateStores(engine, teamStores, serdes.value(TeamState.class), feedSerde)), Named.as(TEAM_STAGE));
        sinks.add(TEAM_STAGE, teamOut.signals(), topics.riskSignals(), signalSerde);

        // Surge stage: new and resolved tickets by shared dimension, across accounts.
        List<String> dimensions = rules.surge().dimensions();
        SurgeOutputs surgeOut = new SurgeOutputs(Outlet.to("surge-signals-sink"), Outlet.to("surge-security-sink"), Outlet.to("surge-notices-sink"));
        ticketFeed.flatMap((key, item) -> byDimension(item, dimensions), Named.as(SURGE_ROUTE))
                .repartition(feed("surge-feed", keys, feedSerde))
                .process(new StageSupplier<>(() -> new SurgeProcessor(rules, config, metrics, surgeStores, surgeOut),
                        aggregateStores(engine, surgeStores, serdes.value(SurgeState.class), feedSerde)), Named.as(SURGE_STAGE));
        sinks.add(SURGE_STAGE, surgeOut.signals(), topics.riskSignals(), signalSerde);
        sinks.add(SURGE_STAGE, surgeOut.security(), topics.securitySignals(), signalSerde);
        sinks.add(SURGE_STAGE, surgeOut.notices(), topics.surges(), serdes.value(SurgeNotice.class));

        // Acknowledgements, consulted by every stage's lifecycle. Declared last: sub-topologies are numbered in the order
        // they are declared, and task ids (with their state directories) follow those numbers across upgrades.
        builder.globalTable(topics.acks(), Consumed.with(keys, serdes.value(Acknowledgement.class)).withName("acks-source"),
                Materialized.<String, Acknowledgement>as(engine.supplier(StoreNames.SIGNAL_ACKS))
                        .withKeySerde(keys).withValueSerde(serdes.value(Acknowledgement.class)));

        return sinks.attachTo(builder.build());
    }

    /** A feed repartition: by entity, clock ticks to every partition. */
    private static Repartitioned<String, FeedItem> feed(String name, Serde<String> keys, Serde<FeedItem> feedSerde) {
        return Repartitioned.<String, FeedItem>as(name).withKeySerde(keys).withValueSerde(feedSerde)
                .withStreamPartitioner(new FeedPartitioner());
    }

    /**
     * A stage's store. Entity states are cached, so an entity updated many times between commits is written to the store
     * and its changelog once; held facts and clocks are written through. Heap stores keep no changelog.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(StoreEngine engine, String name, Serde<V> valueSerde, boolean cached) {
        StoreBuilder<KeyValueStore<String, V>> store = Stores.keyValueStoreBuilder(engine.supplier(name), Serdes.String(), valueSerde);
        store = cached ? store.withCachingEnabled() : store;
        return engine == StoreEngine.ROCKSDB ? store : store.withLoggingDisabled();
    }

    /** An aggregate stage's stores: its entity state (cached), and the facts it holds and the upstream clocks (written through). */
    private static <S> Set<StoreBuilder<?>> aggregateStores(StoreEngine engine, StageStores names, Serde<S> stateSerde, Serde<FeedItem> feedSerde) {
        // In a fixed order: Set.of's differs from run to run, and with it the topology's description.
        Set<StoreBuilder<?>> stores = new java.util.LinkedHashSet<>();
        stores.add(store(engine, names.state(), stateSerde, true));
        stores.add(store(engine, names.pending(), feedSerde, false));
        stores.add(store(engine, names.clock(), Serdes.Long(), false));
        return stores;
    }

    /** Facts by their account; a signal note comes keyed by its account already. */
    private static List<KeyValue<String, FeedItem>> byAccount(String key, FeedItem item) {
        if (item.getWatermark() != null) {
            return List.of(KeyValue.pair(FeedPartitioner.BROADCAST_KEY, item));
        }
        if (item.getSignal() != null) {
            return List.of(KeyValue.pair(key, item));
        }
        TicketFact fact = item.getFact();
        return fact != null && AccountFeed.concerns(fact) ? List.of(KeyValue.pair(fact.getAccountId(), item)) : List.of();
    }

    private static List<KeyValue<String, FeedItem>> byTeam(FeedItem item) {
        if (item.getWatermark() != null) {
            return List.of(KeyValue.pair(FeedPartitioner.BROADCAST_KEY, item));
        }
        List<KeyValue<String, FeedItem>> out = new ArrayList<>(2);
        if (item.getFact() != null && TeamFeed.concerns(item.getFact())) {
            TeamFeed.teams(item.getFact()).forEach(team -> out.add(KeyValue.pair(team, item)));
        }
        return out;
    }

    private static List<KeyValue<String, FeedItem>> byDimension(FeedItem item, List<String> dimensions) {
        if (item.getWatermark() != null) {
            return List.of(KeyValue.pair(FeedPartitioner.BROADCAST_KEY, item));
        }
        TicketFact fact = item.getFact();
        if (fact == null) {
            return List.of();
        }
        List<KeyValue<String, FeedItem>> out = new ArrayList<>(3);
        if (fact.getOpened() || fact.getResolved()) {
            Dimensions.keys(dimensions, fact.getCategory(), fact.getConfigurationItem(), fact.getVendor())
                    .forEach(dimension -> out.add(KeyValue.pair(dimension, item)));
        }
        // A first match of a security indicator counts towards its burst across accounts, and towards the account's.
        Dimensions.securityKeys(fact.getSecurityIndicators(), fact.getAccountId()).forEach(dimension -> out.add(KeyValue.pair(dimension, item)));
        return out;
    }

    private static FeedItem ownerNote(AccountOwner owner) {
        return FeedItems.owner(io.bellwether.detect.state.OwnerNote.newBuilder()
                .setAccountId(owner.getAccountId()).setOwnerId(owner.getOwnerId()).setAt(owner.getUpdatedAt().toEpochMilli()).build());
    }
}
