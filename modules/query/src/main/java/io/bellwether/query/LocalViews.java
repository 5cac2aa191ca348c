package io.bellwether.query;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.account.RiskScorer;
import io.bellwether.detect.lifecycle.OwnershipGaps;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.detect.state.SlaClock;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.ticket.SlaClocks;
import io.bellwether.detect.ticket.Statuses;
import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.ContributingSignal;
import io.bellwether.events.Priority;
import io.bellwether.events.SignalKind;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import io.bellwether.detect.lifecycle.Acknowledgements;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads this instance's share of the topology's state (the partitions whose tasks run here) and turns it into
 * {@link Views}. Nothing here talks to other instances: the query API asks {@link #ticketHost}/{@link #accountHost}
 * where a key lives and merges the partial answers of every instance. Risk scores and SLA due moments are computed
 * the way the topology computes them, from the same rules, at the moment asked.
 */
public final class LocalViews {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final Rules rules;
    /** When not null: read these partitions (per store) from whatever copy is here, standbys included, instead of the active stores. */
    private final Map<String, java.util.Set<Integer>> copies;

    public LocalViews(KafkaStreams streams, Rules rules) {
        this(streams, rules, null);
    }

    private LocalViews(KafkaStreams streams, Rules rules, Map<String, java.util.Set<Integer>> copies) {
        this.streams = streams;
        this.rules = rules;
        this.copies = copies;
    }

    /**
     * The same views over this instance's copies (a standby's included, so possibly stale) of the given partitions of
     * each store ({@link StoreNames#TICKET_STATE}, {@link StoreNames#ACCOUNT_STATE}): an instance that died is answered
     * for from them until the group moves its partitions.
     */
    public LocalViews copies(Map<String, java.util.Set<Integer>> partitions) {
        return new LocalViews(streams, rules, Map.copyOf(partitions));
    }

    /** Where a ticket's state lives (ticket-events is keyed and partitioned by ticket key). */
    public KeyQueryMetadata ticketHost(String ticketKey) {
        return streams.queryMetadataForKey(StoreNames.TICKET_STATE, ticketKey, KEYS);
    }

    /** Where an account's state lives (the account feed partitions like the default partitioner). */
    public KeyQueryMetadata accountHost(String accountId) {
        return streams.queryMetadataForKey(StoreNames.ACCOUNT_STATE, accountId, KEYS);
    }

    /** True once every store can be read here (the topology is running and its local stores are open). */
    public boolean queryable() {
        try {
            tickets().approximateNumEntries();
            accounts().approximateNumEntries();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public List<Views.Account> accounts(long now) {
        List<Views.Account> out = new ArrayList<>();
        Acknowledgements acks = acknowledgements();
        eachAccount(state -> out.add(account(state, now, acks)));
        out.sort(Comparator.comparingDouble(Views.Account::score).reversed().thenComparing(Views.Account::accountId));
        return out;
    }

    public Optional<Views.Account> account(String accountId, long now) {
        AccountState state = accounts().get(accountId);
        return state == null ? Optional.empty() : Optional.of(account(state, now, acknowledgements()));
    }

    private Views.Account account(AccountState state, long now, Acknowledgements acks) {
        String owner = state.getOwnerNamed() ? state.getOwner() : rules.accountOwner(state.getAccountId());
        RuleSet settings = rules.forAccount(state.getAccountId());
        AccountRisk risk = RiskScorer.score(state, settings.accountRisk(), owner, now);
        Map<String, Double> points = new HashMap<>();
        for (ContributingSignal c : risk.getContributors()) {
            points.put(c.getDedupKey(), c.getPoints());
        }
        List<Views.Signal> signals = new ArrayList<>();
        for (SignalNote note : state.getActiveSignals().values()) {
            io.bellwether.events.Acknowledgement ack = acks.of(note.getDedupKey(), note.getFirstRaisedAt());
            signals.add(new Views.Signal(note.getDedupKey(), note.getKind(), note.getSeverity(), note.getSubjectId(), note.getTicketKey(),
                    note.getFirstRaisedAt(), note.getReason(), points.getOrDefault(note.getDedupKey(), 0.0),
                    settings.accountRisk().weights().getOrDefault(io.bellwether.events.SignalKind.valueOf(note.getKind()), 0.0),
                    settings.accountRisk().severityFactor().get(io.bellwether.events.Severity.valueOf(note.getSeverity())),
                    ack == null ? null : new Views.Ack(ack.getBy(), ack.getAt().toEpochMilli(), ack.getNote())));
        }
        signals.sort(Comparator.comparingDouble(Views.Signal::points).reversed().thenComparing(Views.Signal::since));
        io.bellwether.detect.account.Rates rates = io.bellwether.detect.account.Rates.of(state.getDays(), now,
                settings.nearMissRate().window(), settings.nearMissRate().baseline());
        return new Views.Account(state.getAccountId(), state.getAccountName(), risk.getScore(), risk.getLevel().name(), risk.getReason(),
                state.getOpenTicketCount(), owner, signals, new Views.Resolutions(rates.resolved(), rates.nearMisses(), rates.breaches(),
                round(rates.nearMissRate()), round(rates.breachRate()), round(rates.baseNearMissRate())));
    }

    /** Tickets held here; {@code accountId} null for all; {@code openOnly} drops resolved and closed ones. */
    public List<Views.Ticket> tickets(String accountId, boolean openOnly, long now) {
        List<Views.Ticket> out = new ArrayList<>();
        Acknowledgements acks = acknowledgements();
        eachTicket(state -> {
            if ((accountId == null || accountId.equals(state.getAccountId())) && (!openOnly || !Statuses.isDone(state.getStatusCategory()))) {
                out.add(ticket(state, now, acks));
            }
        });
        return out;
    }

    /**
     * A ticket from whatever copy of its partition this instance holds, a standby's included: for when the instance that
     * runs the partition does not answer. The copy may lag; {@link #lag} says by how much.
     */
    public Optional<Views.Ticket> ticketFromAnyCopy(String ticketKey, int partition, long now) {
        TicketState state = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.TICKET_STATE, QueryableStoreTypes.<String, TicketState>keyValueStore())
                .enableStaleStores().withPartition(partition)).get(ticketKey);
        return state == null ? Optional.empty() : Optional.of(ticket(state, now, acknowledgements()));
    }

    /** The same for an account. */
    public Optional<Views.Account> accountFromAnyCopy(String accountId, int partition, long now) {
        AccountState state = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.ACCOUNT_STATE, QueryableStoreTypes.<String, AccountState>keyValueStore())
                .enableStaleStores().withPartition(partition)).get(accountId);
        return state == null ? Optional.empty() : Optional.of(account(state, now, acknowledgements()));
    }

    /** How many changelog records this instance's copy of a store partition is behind, or -1 when unknown. */
    public long lag(String store, int partition) {
        var lags = streams.allLocalStorePartitionLags().get(store);
        var lag = lags == null ? null : lags.get(partition);
        return lag == null ? -1 : lag.offsetLag();
    }

    public Optional<Views.Ticket> ticket(String ticketKey, long now) {
        TicketState state = tickets().get(ticketKey);
        return state == null ? Optional.empty() : Optional.of(ticket(state, now, acknowledgements()));
    }

    private Views.Ticket ticket(TicketState s, long now, Acknowledgements acks) {
        RuleSet settings = rules.forTicket(s.getAccountId(), s.getCategory());
        Priority priority = Priority.valueOf(s.getPriorityLevel());
        BusinessCalendar calendar = rules.calendar(settings.calendarFor(priority));
        Views.Clock response = clock("response", s.getResponseClock(), settings.sla().response().get(priority).toMillis(), calendar, now);
        Views.Clock resolution = clock("resolution", s.getResolutionClock(), settings.sla().resolution().get(priority).toMillis(), calendar, now);
        Long breachAt = earliest(response.running() ? response.dueAt() : null, resolution.running() ? resolution.dueAt() : null);
        List<String> active = s.getSignals().stream().filter(SignalBook::getActive).map(SignalBook::getKind).distinct().toList();
        return new Views.Ticket(s.getTicketKey(), s.getAccountId(), s.getAccountName(), s.getStatus(), s.getStatusCategory(),
                s.getPriorityLevel(), s.getAssignee(), s.getTeam(), s.getCategory(), s.getConfigurationItem(), s.getEscalated(),
                s.getOpenedAt(), s.getLastEventAt(), s.getLastActivityAt(), s.getResolvedAt(), s.getUnassignedSince(), s.getReopenCount(),
                s.getReassignmentCount(), response, resolution, breachAt, active, announced(s, acks));
    }

    /**
     * The ticket's signals that are raised and announced (a silenced one is not: there is nothing on the topics to
     * acknowledge), with their acknowledgement. A ticket's signals carry no points: they count through their account.
     */
    private static List<Views.Signal> announced(TicketState s, Acknowledgements acks) {
        List<Views.Signal> signals = new ArrayList<>();
        for (SignalBook book : s.getSignals()) {
            if (book.getActive() && book.getEmitted()) {
                io.bellwether.events.Acknowledgement ack = acks.of(book.getDedupKey(), book.getFirstRaisedAt());
                signals.add(new Views.Signal(book.getDedupKey(), book.getKind(), book.getSeverity(), s.getTicketKey(), s.getTicketKey(),
                        book.getFirstRaisedAt(), null, 0, 0, 0, ack == null ? null : new Views.Ack(ack.getBy(), ack.getAt().toEpochMilli(), ack.getNote())));
            }
        }
        return signals;
    }

    private static Views.Clock clock(String name, SlaClock clock, long target, BusinessCalendar calendar, long now) {
        long elapsed = SlaClocks.elapsedAt(clock, now, calendar);
        boolean running = SlaClocks.isRunning(clock);
        boolean stopped = SlaClocks.isStopped(clock);
        return new Views.Clock(name, calendar.id(), target, elapsed, target == 0 ? 0 : Math.round(1000.0 * elapsed / target) / 1000.0,
                running, !running && !stopped, stopped, SlaClocks.reachesAt(clock, target, calendar));
    }

    private static Long earliest(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Long.valueOf(Math.min(a, b));
    }

    /** The teams whose technician-stage state is held here, with their near-miss and breach rates at {@code now}. */
    public List<Views.Team> teams(long now) {
        RuleSet.NearMissRate rule = rules.defaults().nearMissRate();
        List<Views.Team> out = new ArrayList<>();
        this.<TeamState>each(StoreNames.TEAM_STATE, state -> {
            io.bellwether.detect.account.Rates rates = io.bellwether.detect.account.Rates.of(state.getDays(), now, rule.window(), rule.baseline());
            List<Views.TeamSignal> signals = new ArrayList<>();
            for (SignalBook book : state.getSignals()) {
                if (book.getActive()) {
                    signals.add(new Views.TeamSignal(book.getDedupKey(), book.getKind(), book.getSeverity(),
                            book.getFirstRaisedAt()));
                }
            }
            out.add(new Views.Team(state.getTeam(), new Views.Resolutions(rates.resolved(), rates.nearMisses(), rates.breaches(),
                    round(rates.nearMissRate()), round(rates.breachRate()), round(rates.baseNearMissRate())), signals));
        });
        return out;
    }

    /** Open tickets per assignee held here (add the other instances' rows with {@link Views.Technician#plus}). */
    public List<Views.Technician> technicians() {
        Map<String, Views.Technician> byTech = new TreeMap<>();
        eachTicket(s -> {
            if (s.getAssignee() == null || Statuses.isDone(s.getStatusCategory())) {
                return;
            }
            Views.Technician one = new Views.Technician(s.getAssignee(), 1, Map.of(s.getPriorityLevel(), 1), s.getEscalated() ? 1 : 0,
                    s.getOpenedAt(), s.getTeam() == null ? List.of() : List.of(s.getTeam()));
            byTech.merge(s.getAssignee(), one, Views.Technician::plus);
        });
        return new ArrayList<>(byTech.values());
    }

    /**
     * Active ownership gaps held here: unassigned, ping-ponging or owner-churning tickets (from the ticket state, so
     * none is missed on a busy account) and accounts without an owner (from the account state).
     */
    public List<Views.OwnershipGap> ownershipGaps() {
        List<Views.OwnershipGap> out = new ArrayList<>();
        eachTicket(s -> {
            for (SignalBook book : s.getSignals()) {
                if (book.getActive() && OwnershipGaps.typeOf(SignalKind.valueOf(book.getKind())) != null) {
                    out.add(new Views.OwnershipGap(book.getKind(), s.getTicketKey(), s.getAccountId(), gapReason(book.getKind(), s),
                            book.getFirstRaisedAt(), book.getSeverity()));
                }
            }
        });
        eachAccount(account -> account.getActiveSignals().values().forEach(note -> {
            if (note.getTicketKey() == null && OwnershipGaps.typeOf(SignalKind.valueOf(note.getKind())) != null) {
                out.add(new Views.OwnershipGap(note.getKind(), note.getSubjectId(), account.getAccountId(), note.getReason(),
                        note.getFirstRaisedAt(), note.getSeverity()));
            }
        }));
        out.sort(Comparator.comparingLong(Views.OwnershipGap::since));
        return out;
    }

    private static String gapReason(String kind, TicketState s) {
        String account = s.getAccountName() != null ? s.getAccountName() : s.getAccountId();
        String of = s.getPriorityLevel() + " ticket" + (account == null ? "" : " of " + account);
        return switch (kind) {
            case "UNASSIGNED" -> "Nobody is assigned to this " + of + (s.getTeam() == null ? "" : " (team " + s.getTeam() + ")");
            case "PING_PONG" -> of + " reassigned " + s.getReassignmentCount() + " times, now with " + (s.getAssignee() == null ? "nobody" : s.getAssignee());
            default -> of + ": owner keeps changing (" + s.getOwners().size() + " owner changes)";
        };
    }

    /** Surges on shared dimensions, active and recently ended (a global table: every instance holds all of them). */
    public List<Views.Surge> surges() {
        List<Views.Surge> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, SurgeNotice> store = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.SURGE_ACTIVE,
                QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<String, SurgeNotice> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) {
                    out.add(new Views.Surge(kv.value.getDimension(), kv.value.getSince(), kv.value.getUntil(), List.copyOf(kv.value.getInhibits())));
                }
            });
        }
        out.sort(Comparator.comparing(Views.Surge::active).reversed().thenComparing(Comparator.comparingLong(Views.Surge::since).reversed()));
        return out;
    }

    /**
     * Tickets opened in [from, to) held here. Bellwether keeps closed tickets for the closed retention (7 days by
     * default), so a longer window is marked incomplete rather than silently undercounted.
     */
    public Views.Demand demand(long from, long to, ZoneId zone, long closedRetentionMillis) {
        int[] hours = new int[168];
        Map<String, Integer> category = new TreeMap<>();
        Map<String, Integer> account = new TreeMap<>();
        Map<String, Integer> priority = new TreeMap<>();
        int[] total = {0};
        eachTicket(s -> {
            long opened = s.getOpenedAt();
            if (opened < from || opened >= to) {
                return;
            }
            total[0]++;
            ZonedDateTime local = Instant.ofEpochMilli(opened).atZone(zone);
            hours[(local.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()) * 24 + local.getHour()]++;
            category.merge(s.getCategory() == null ? "(none)" : s.getCategory(), 1, Integer::sum);
            account.merge(s.getAccountName() != null ? s.getAccountName() : s.getAccountId() == null ? "(none)" : s.getAccountId(), 1, Integer::sum);
            priority.merge(s.getPriorityLevel(), 1, Integer::sum);
        });
        return new Views.Demand(from, to, zone.getId(), total[0], hours, category, account, priority, to - from <= closedRetentionMillis);
    }

    /** The dimensions the recurring issues rank: the ticket's category and CI, then what its source reports. */
    public static final List<String> RECURRING_DIMENSIONS = java.util.stream.Stream.concat(java.util.stream.Stream.of("category",
            "configurationItem"), io.bellwether.detect.ticket.TicketDimensions.NAMES.stream()).toList();

    /**
     * Tickets held here opened in [from, to) and in the window of the same length before, per dimension value, for one
     * account or (null) all; incomplete when the two windows reach past the closed retention.
     */
    public Views.Recurring recurring(long from, long to, String accountId, long closedRetentionMillis) {
        long before = from - (to - from);
        Map<String, Map<String, int[]>> counts = new TreeMap<>();
        Map<String, Map<String, java.util.SortedSet<String>>> accounts = new HashMap<>();
        int[] totals = {0, 0};
        eachTicket(s -> {
            long opened = s.getOpenedAt();
            boolean now = opened >= from && opened < to;
            if (!(now || (opened >= before && opened < from)) || (accountId != null && !accountId.equals(s.getAccountId()))) {
                return;
            }
            totals[now ? 0 : 1]++;
            for (String dimension : RECURRING_DIMENSIONS) {
                String value = switch (dimension) {
                    case "category" -> s.getCategory();
                    case "configurationItem" -> s.getConfigurationItem();
                    default -> s.getDimensions().get(dimension);
                };
                if (value == null) {
                    continue;
                }
                counts.computeIfAbsent(dimension, d -> new TreeMap<>()).computeIfAbsent(value, v -> new int[2])[now ? 0 : 1]++;
                if (now && s.getAccountId() != null) {
                    accounts.computeIfAbsent(dimension, d -> new HashMap<>()).computeIfAbsent(value, v -> new java.util.TreeSet<>())
                            .add(s.getAccountId());
                }
            }
        });
        Map<String, Map<String, Views.Recurring.Count>> out = new TreeMap<>();
        counts.forEach((dimension, values) -> values.forEach((value, c) -> out.computeIfAbsent(dimension, d -> new TreeMap<>())
                .put(value, new Views.Recurring.Count(c[0], c[1], accounts.getOrDefault(dimension, Map.of())
                        .getOrDefault(value, new java.util.TreeSet<>())))));
        return new Views.Recurring(from, to, accountId, totals[0], totals[1], out, to - before <= closedRetentionMillis);
    }

    /** The newest event time among the tickets held here (-1 when none). */
    public long latestEventTime() {
        long[] max = {-1};
        eachTicket(s -> max[0] = Math.max(max[0], s.getLastEventAt()));
        return max[0];
    }

    private void eachTicket(Consumer<TicketState> action) {
        each(StoreNames.TICKET_STATE, action);
    }

    private void eachAccount(Consumer<AccountState> action) {
        each(StoreNames.ACCOUNT_STATE, action);
    }

    /** Every value of the store: the active partitions here, or with {@link #copies} exactly those partitions' local copies. */
    private <V> void each(String store, Consumer<V> action) {
        List<ReadOnlyKeyValueStore<String, V>> stores = new ArrayList<>();
        if (copies == null) {
            stores.add(streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())));
        } else {
            for (int partition : copies.getOrDefault(store, java.util.Set.of())) {
                stores.add(streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                        .enableStaleStores().withPartition(partition)));
            }
        }
        for (ReadOnlyKeyValueStore<String, V> s : stores) {
            try (KeyValueIterator<String, V> it = s.all()) {
                it.forEachRemaining(kv -> {
                    if (kv.value != null) {
                        action.accept(kv.value);
                    }
                });
            }
        }
    }

    private ReadOnlyKeyValueStore<String, TicketState> tickets() {
        return streams.store(StoreQueryParameters.fromNameAndType(StoreNames.TICKET_STATE, QueryableStoreTypes.keyValueStore()));
    }

    /** The acknowledgements (a global store: every instance holds all of them). */
    private Acknowledgements acknowledgements() {
        return new Acknowledgements(streams.store(StoreQueryParameters.fromNameAndType(StoreNames.SIGNAL_ACKS,
                QueryableStoreTypes.<String, io.bellwether.events.Acknowledgement>timestampedKeyValueStore())));
    }

    private ReadOnlyKeyValueStore<String, AccountState> accounts() {
        return streams.store(StoreQueryParameters.fromNameAndType(StoreNames.ACCOUNT_STATE, QueryableStoreTypes.keyValueStore()));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
