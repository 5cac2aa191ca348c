package io.bellwether.detect;

import io.bellwether.detect.account.AccountOutputs;
import io.bellwether.detect.account.AccountProcessor;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.AlignmentRecord;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.SurgeState;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.store.EntityStore;
import io.bellwether.detect.store.NoteBytesWriter;
import io.bellwether.detect.store.WriteBackStores;
import io.bellwether.detect.surge.SurgeHistoryUpdater;
import io.bellwether.detect.surge.SurgeOutputs;
import io.bellwether.detect.surge.SurgeProcessor;
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

import java.util.Map;
import java.util.Set;

/**
 * The detection topology, built without side effects from configuration, rules and serdes, so the service and
 * every test run exactly the same graph.
 *
 * <pre>
 * ticket-events ──► ticket-lifecycle (per ticket) ──► risk-signals, security-signals, ticket-alerts, ownership-gaps
 *                        │ facts, signal notes, clock ticks
 *                        ▼
 *                   aggregate-feed-route ─┐     account-owners ──► account-owners-note ─┐
 *                                         ▼                                             ▼
 *                   aggregate-feed (repartition by account, team or dimension) ──► aggregate-alignment (held until every
 *                        ticket partition's clock passed them, then in a fixed order)
 *                          ├──► account-risk (per account) ──► risk-signals, ownership-gaps, account-risk, escalations
 *                          ├──► technician-load (per team) ──► risk-signals, people-signals (managers only)
 *                          └──► surge-detection (per dimension; security indicators) ──► risk-signals, security-signals,
 *                                                                                        surges ──► (inhibition)
 * control ──► control-silences (global)   acks ──► signal-acks (global)   surges ──► surge-active (global)
 * </pre>
 */
public final class BellwetherTopology {
    static final String TICKET_STAGE = "ticket-lifecycle";
    static final String ACCOUNT_STAGE = "account-risk";
    static final String TEAM_STAGE = "technician-load";
    static final String SURGE_STAGE = "surge-detection";
    /** The step that keys the ticket stage's output for the aggregate stages, and the step that aligns it. */
    static final String FEED_ROUTE = "aggregate-feed-route";
    static final String ALIGNMENT = "aggregate-alignment";
    /** The repartition between the ticket stage and the aggregate stages: topic {@code <application.id>-aggregate-feed-repartition}. */
    public static final String AGGREGATE_FEED = "aggregate-feed";

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
        StageStores accountStores = StageStores.aggregate(StoreNames.ACCOUNT_STATE, StoreNames.CONTROL_SILENCES, StoreNames.SIGNAL_ACKS);
        StageStores teamStores = StageStores.aggregate(StoreNames.TEAM_STATE, StoreNames.CONTROL_SILENCES, StoreNames.SIGNAL_ACKS);
        StageStores surgeStores = StageStores.aggregate(StoreNames.SURGE_STATE, StoreNames.CONTROL_SILENCES, StoreNames.SIGNAL_ACKS);

        StageSinks sinks = new StageSinks();
        Serde<RiskSignal> signalSerde = serdes.value(RiskSignal.class);
        Serde<OwnershipGap> gapSerde = serdes.value(OwnershipGap.class);

        // Ticket stage: per ticket; facts, signal notes and clock ticks to the aggregate feed.
        KStream<String, SpecificRecord> events = builder.stream(topics.ticketEvents(),
                Consumed.with(keys, serdes.ticketStream()).withName("ticket-events-source")
                        .withTimestampExtractor(new TicketEventTimestamps(config.maxFutureSkew().toMillis())));
        TicketOutputs ticketOut = new TicketOutputs(Outlet.to("ticket-signals-sink"), Outlet.to("ticket-security-sink"), Outlet.to("ticket-alerts-sink"),
                Outlet.to("ticket-gaps-sink"), Outlet.to(FEED_ROUTE));
        KStream<String, FeedItem> ticketFeed = events.process(new StageSupplier<>(
                () -> new TicketProcessor(rules, config, metrics, ticketStores, ticketOut),
                Set.of(entities(engine, ticketStores.state(), serdes.value(TicketState.class)))), Named.as(TICKET_STAGE));
        sinks.add(TICKET_STAGE, ticketOut.signals(), topics.riskSignals(), signalSerde);
        sinks.add(TICKET_STAGE, ticketOut.security(), topics.securitySignals(), signalSerde);
        sinks.add(TICKET_STAGE, ticketOut.alerts(), topics.ticketAlerts(), signalSerde);
        sinks.add(TICKET_STAGE, ticketOut.gaps(), topics.ownershipGaps(), gapSerde);

        // The aggregate feed: each item keyed by the stage and entity that read it, owners named on their topic beside them
        // (owners are an input: NO_ACCOUNT_OWNER resolves the moment one is named); one repartition, then one clock for all.
        FeedRoute route = new FeedRoute(rules.surge().dimensions());
        KStream<String, FeedItem> owners = builder.stream(topics.accountOwners(),
                        Consumed.with(keys, serdes.value(AccountOwner.class)).withName("account-owners-source")
                                .withTimestampExtractor(new OwnerRecordTimestamps()))
                .filter((account, owner) -> owner != null, Named.as("account-owners-filter"))
                .map((account, owner) -> KeyValue.pair(FeedRoute.account(owner.getAccountId()), ownerNote(owner)), Named.as("account-owners-note"));
        KStream<String, FeedItem> aligned = ticketFeed.flatMap(route::route, Named.as(FEED_ROUTE))
                .merge(owners, Named.as("aggregate-feed-merge"))
                .repartition(Repartitioned.<String, FeedItem>as(AGGREGATE_FEED).withKeySerde(keys).withValueSerde(feedSerde)
                        .withStreamPartitioner(new FeedPartitioner()))
                .process(new StageSupplier<>(() -> new FeedAlignment(config, metrics, StoreNames.AGGREGATE_HELD,
                                Map.of(FeedRoute.ACCOUNT, ACCOUNT_STAGE, FeedRoute.TEAM, TEAM_STAGE, FeedRoute.SURGE, SURGE_STAGE)),
                        Set.of(engine == StoreEngine.ROCKSDB
                                ? WriteBackStores.alignment(engine.supplier(StoreNames.AGGREGATE_HELD), serdes.value(AlignmentRecord.class))
                                : WriteBackStores.heapAlignment(StoreNames.AGGREGATE_HELD))), Named.as(ALIGNMENT));

        // Account stage.
        AccountOutputs accountOut = new AccountOutputs(Outlet.to("account-signals-sink"), Outlet.to("account-gaps-sink"),
                Outlet.to("account-risk-sink"), Outlet.to("account-escalations-sink"));
        aligned.process(new StageSupplier<>(() -> new AccountProcessor(rules, config, metrics, accountStores, accountOut),
                Set.of(entities(engine, accountStores.state(), aggregateSerde(serdes, AccountState.class)))), Named.as(ACCOUNT_STAGE));
        sinks.add(ACCOUNT_STAGE, accountOut.signals(), topics.riskSignals(), signalSerde);
        sinks.add(ACCOUNT_STAGE, accountOut.gaps(), topics.ownershipGaps(), gapSerde);
        sinks.add(ACCOUNT_STAGE, accountOut.risk(), topics.accountRisk(), serdes.value(AccountRisk.class));
        sinks.add(ACCOUNT_STAGE, accountOut.escalations(), topics.escalations(), serdes.value(Escalation.class));

        // Technician stage.
        TeamOutputs teamOut = new TeamOutputs(Outlet.to("team-signals-sink"), Outlet.to("team-people-sink"));
        aligned.process(new StageSupplier<>(() -> new TeamProcessor(rules, config, metrics, teamStores, teamOut),
                Set.of(entities(engine, teamStores.state(), aggregateSerde(serdes, TeamState.class)))), Named.as(TEAM_STAGE));
        sinks.add(TEAM_STAGE, teamOut.signals(), topics.riskSignals(), signalSerde);
        sinks.add(TEAM_STAGE, teamOut.people(), topics.peopleSignals(), signalSerde);

        // Surge stage: new and resolved tickets by shared dimension, across accounts; security bursts.
        SurgeOutputs surgeOut = new SurgeOutputs(Outlet.to("surge-signals-sink"), Outlet.to("surge-security-sink"), Outlet.to("surge-notices-sink"));
        aligned.process(new StageSupplier<>(() -> new SurgeProcessor(rules, config, metrics, surgeStores, surgeOut),
                Set.of(entities(engine, surgeStores.state(), aggregateSerde(serdes, SurgeState.class)))), Named.as(SURGE_STAGE));
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

    /** A stage's entity states: objects written to the store once per commit; heap stores keep no changelog. */
    private static <S> StoreBuilder<EntityStore<S>> entities(StoreEngine engine, String name, Serde<S> serde) {
        return engine == StoreEngine.ROCKSDB ? WriteBackStores.entities(engine.supplier(name), serde) : WriteBackStores.heapEntities(name);
    }

    /** An aggregate state's serde: its ticket notes encoded once, not at every commit that writes the state back. */
    private static <S extends SpecificRecord> Serde<S> aggregateSerde(EventSerdes serdes, Class<S> type) {
        return serdes.value(type).writingWith(NoteBytesWriter::new);
    }

    private static FeedItem ownerNote(AccountOwner owner) {
        return FeedItems.owner(io.bellwether.detect.state.OwnerNote.newBuilder()
                .setAccountId(owner.getAccountId()).setOwnerId(owner.getOwnerId()).setAt(owner.getUpdatedAt().toEpochMilli()).build());
    }
}
