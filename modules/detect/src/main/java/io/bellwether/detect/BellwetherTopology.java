package io.bellwether.detect;

import io.bellwether.detect.account.AccountFeed;
import io.bellwether.detect.account.AccountProcessor;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.SurgeState;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.surge.Dimensions;
import io.bellwether.detect.surge.SurgeHistoryUpdater;
import io.bellwether.detect.surge.SurgeProcessor;
import io.bellwether.detect.team.TeamFeed;
import io.bellwether.detect.team.TeamProcessor;
import io.bellwether.detect.ticket.TicketProcessor;
import io.bellwether.events.AccountOwner;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Silence;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detection topology, built without side effects from configuration, rules and serdes, so the service and
 * every test run exactly the same graph.
 *
 * <pre>
 * ticket-events ──► ticket-lifecycle (per ticket) ──► risk-signals, ticket-alerts, ownership-gaps
 *                        │ facts, signal notes, clock ticks
 *                        ├──► account-feed ──► account-risk (per account) ──► risk-signals, ownership-gaps, account-risk, escalations
 *                        ├──► team-feed ─────► technician-load (per team) ──► risk-signals
 *                        └──► surge-feed ────► surge-detection (per dimension) ──► risk-signals, surges ──► (inhibition)
 * control ──► control-silences (global)      account-owners ──► account-owners (global)      surges ──► surge-active (global)
 * </pre>
 */
public final class BellwetherTopology {
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
        StageStores ticketStores = StageStores.ticket(StoreNames.TICKET_STATE, StoreNames.CONTROL_SILENCES, StoreNames.SURGE_ACTIVE);
        StageStores accountStores = StageStores.aggregate(StoreNames.ACCOUNT_STATE, StoreNames.ACCOUNT_PENDING, StoreNames.ACCOUNT_CLOCK,
                StoreNames.CONTROL_SILENCES);
        StageStores teamStores = StageStores.aggregate(StoreNames.TEAM_STATE, StoreNames.TEAM_PENDING, StoreNames.TEAM_CLOCK,
                StoreNames.CONTROL_SILENCES);
        StageStores surgeStores = StageStores.aggregate(StoreNames.SURGE_STATE, StoreNames.SURGE_PENDING, StoreNames.SURGE_CLOCK,
                StoreNames.CONTROL_SILENCES);

        KStream<String, TicketEvent> events = builder.stream(topics.ticketEvents(),
                Consumed.with(keys, serdes.value(TicketEvent.class)).withName("ticket-events-source")
                        .withTimestampExtractor(new TicketEventTimestamps(config.maxFutureSkew().toMillis())));
        KStream<String, Out> ticketOut = events.process(new StageSupplier<>(() -> new TicketProcessor(rules, config, metrics, ticketStores),
                Set.of(store(engine, ticketStores.state(), serdes.value(TicketState.class), true))), Named.as("ticket-lifecycle"));
        Map<String, KStream<String, Out>> ticket = split(ticketOut, "ticket", Branch.SIGNALS, Branch.ALERTS, Branch.GAPS, Branch.FEED);
        KStream<String, RiskSignal> ticketSignals = unwrapSignals(ticket.get("ticket-signals"), "ticket");
        ticketSignals.to(topics.riskSignals(), Produced.with(keys, serdes.value(RiskSignal.class)).withName("ticket-signals-sink"));
        ticket.get("ticket-alerts").mapValues(out -> ((Out.Alert) out).alert(), Named.as("ticket-alerts-unwrap"))
                .to(topics.ticketAlerts(), Produced.with(keys, serdes.value(RiskSignal.class)).withName("ticket-alerts-sink"));
        sinkGaps(ticket.get("ticket-gaps"), "ticket", topics, serdes);
        KStream<String, FeedItem> ticketFeed = ticket.get("ticket-feed").mapValues(out -> ((Out.Feed) out).item(), Named.as("ticket-feed-unwrap"));

        // Account stage: facts and signal notes by account; clock ticks to every partition.
        KStream<String, FeedItem> accountFacts = ticketFeed.flatMap((key, item) -> byAccount(item), Named.as("account-feed-facts"));
        KStream<String, FeedItem> accountNotes = ticketSignals
                .filter((key, signal) -> signal.getAccountId() != null, Named.as("account-feed-signals-filter"))
                .map((key, signal) -> KeyValue.pair(signal.getAccountId(), note(signal)), Named.as("account-feed-signals"));
        // Owners named on the topic are an input of the account stage: NO_ACCOUNT_OWNER resolves the moment one is named.
        KStream<String, FeedItem> accountOwners = builder.stream(topics.accountOwners(),
                        Consumed.with(keys, serdes.value(AccountOwner.class)).withName("account-owners-source")
                                .withTimestampExtractor(new OwnerRecordTimestamps()))
                .filter((account, owner) -> owner != null, Named.as("account-owners-filter"))
                .map((account, owner) -> KeyValue.pair(owner.getAccountId(), ownerNote(owner)), Named.as("account-feed-owners"));
        KStream<String, FeedItem> accountFeed = accountFacts.merge(accountNotes, Named.as("account-feed-merge"))
                .merge(accountOwners, Named.as("account-feed-owners-merge"))
                .repartition(Repartitioned.<String, FeedItem>as("account-feed").withKeySerde(keys).withValueSerde(feedSerde)
                        .withStreamPartitioner(new FeedPartitioner()));
        Map<String, KStream<String, Out>> account = split(accountFeed.process(new StageSupplier<>(
                        () -> new AccountProcessor(rules, config, metrics, accountStores),
                        aggregateStores(engine, accountStores, serdes.value(AccountState.class), feedSerde)), Named.as("account-risk")),
                "account", Branch.SIGNALS, Branch.GAPS, Branch.RISK, Branch.ESCALATIONS);
        unwrapSignals(account.get("account-signals"), "account")
                .to(topics.riskSignals(), Produced.with(keys, serdes.value(RiskSignal.class)).withName("account-signals-sink"));
        sinkGaps(account.get("account-gaps"), "account", topics, serdes);
        account.get("account-risk-out").mapValues(out -> ((Out.Risk) out).risk(), Named.as("account-risk-unwrap"))
                .to(topics.accountRisk(), Produced.with(keys, serdes.value(AccountRisk.class)).withName("account-risk-sink"));
        account.get("account-escalations").mapValues(out -> ((Out.Escalated) out).escalation(), Named.as("account-escalations-unwrap"))
                .to(topics.escalations(), Produced.with(keys, serdes.value(Escalation.class)).withName("account-escalations-sink"));

        // Technician stage: facts by team (and by the team a ticket just left).
        KStream<String, FeedItem> teamFeed = ticketFeed.flatMap((key, item) -> byTeam(item), Named.as("team-feed-facts"))
                .repartition(Repartitioned.<String, FeedItem>as("team-feed").withKeySerde(keys).withValueSerde(feedSerde)
                        .withStreamPartitioner(new FeedPartitioner()));
        // The technician stage emits signals only.
        KStream<String, Out> team = teamFeed.process(new StageSupplier<>(() -> new TeamProcessor(rules, config, metrics, teamStores),
                aggregateStores(engine, teamStores, serdes.value(TeamState.class), feedSerde)), Named.as("technician-load"));
        unwrapSignals(team, "team")
                .to(topics.riskSignals(), Produced.with(keys, serdes.value(RiskSignal.class)).withName("team-signals-sink"));

        // Surge stage: new tickets by shared dimension, across accounts.
        List<String> dimensions = rules.surge().dimensions();
        KStream<String, FeedItem> surgeFeed = ticketFeed.flatMap((key, item) -> byDimension(item, dimensions), Named.as("surge-feed-facts"))
                .repartition(Repartitioned.<String, FeedItem>as("surge-feed").withKeySerde(keys).withValueSerde(feedSerde)
                        .withStreamPartitioner(new FeedPartitioner()));
        Map<String, KStream<String, Out>> surge = split(surgeFeed.process(new StageSupplier<>(
                        () -> new SurgeProcessor(rules, config, metrics, surgeStores),
                        aggregateStores(engine, surgeStores, serdes.value(SurgeState.class), feedSerde)), Named.as("surge-detection")),
                "surge", Branch.SIGNALS, Branch.NOTICES);
        unwrapSignals(surge.get("surge-signals"), "surge")
                .to(topics.riskSignals(), Produced.with(keys, serdes.value(RiskSignal.class)).withName("surge-signals-sink"));
        surge.get("surge-notices").mapValues(out -> ((Out.Surge) out).notice(), Named.as("surge-notices-unwrap"))
                .to(topics.surges(), Produced.with(keys, serdes.value(SurgeNotice.class)).withName("surge-notices-sink"));

        return builder.build();
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

    /** What a stage's output holds, by the branch name it is split into ({@code <stage>-<branch>}). */
    private enum Branch {
        SIGNALS("signals", Out.Signal.class), ALERTS("alerts", Out.Alert.class), GAPS("gaps", Out.Gap.class), FEED("feed", Out.Feed.class), RISK("risk-out", Out.Risk.class),
        ESCALATIONS("escalations", Out.Escalated.class), NOTICES("notices", Out.Surge.class);

        private final String suffix;
        private final Class<? extends Out> type;

        Branch(String suffix, Class<? extends Out> type) {
            this.suffix = suffix;
            this.type = type;
        }
    }

    /** Splits a stage's output into exactly the branches it emits, named {@code <stage>-<branch>}: no branch leads nowhere. */
    private static Map<String, KStream<String, Out>> split(KStream<String, Out> out, String stage, Branch... branches) {
        var split = out.split(Named.as(stage + "-"));
        for (Branch branch : branches) {
            split = split.branch((k, v) -> branch.type.isInstance(v), Branched.as(branch.suffix));
        }
        return split.noDefaultBranch();
    }

    private static KStream<String, RiskSignal> unwrapSignals(KStream<String, Out> signals, String stage) {
        return signals.mapValues(out -> ((Out.Signal) out).signal(), Named.as(stage + "-signals-unwrap"));
    }

    private static void sinkGaps(KStream<String, Out> gaps, String stage, TopicNames topics, EventSerdes serdes) {
        gaps.mapValues(out -> ((Out.Gap) out).gap(), Named.as(stage + "-gaps-unwrap"))
                .to(topics.ownershipGaps(), Produced.with(Serdes.String(), serdes.value(OwnershipGap.class)).withName(stage + "-gaps-sink"));
    }

    private static List<KeyValue<String, FeedItem>> byAccount(FeedItem item) {
        if (item.getWatermark() != null) {
            return List.of(KeyValue.pair(FeedPartitioner.BROADCAST_KEY, item));
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
        if (fact == null || !(fact.getOpened() || fact.getResolved())) {
            return List.of();
        }
        List<KeyValue<String, FeedItem>> out = new ArrayList<>(3);
        Dimensions.keys(dimensions, fact.getCategory(), fact.getConfigurationItem(), fact.getVendor())
                .forEach(dimension -> out.add(KeyValue.pair(dimension, item)));
        return out;
    }

    private static FeedItem ownerNote(AccountOwner owner) {
        return FeedItems.owner(io.bellwether.detect.state.OwnerNote.newBuilder()
                .setAccountId(owner.getAccountId()).setOwnerId(owner.getOwnerId()).setAt(owner.getUpdatedAt().toEpochMilli()).build());
    }

    private static FeedItem note(RiskSignal signal) {
        // One per ticket signal transition: the constructor, as in FeedItems, not the validating builder.
        SignalNote note = new SignalNote(signal.getDedupKey(), signal.getRuleId(), signal.getKind().name(), signal.getSeverity().name(),
                signal.getState().name(), signal.getSubject().getId(),
                signal.getSubject().getType() == io.bellwether.events.SubjectType.TICKET ? signal.getSubject().getId() : null,
                signal.getOccurredAt().toEpochMilli(), signal.getFirstRaisedAt().toEpochMilli(), signal.getReason());
        return FeedItems.signal(note);
    }
}
