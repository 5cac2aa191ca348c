package io.bellwether.query;

import java.util.List;
import java.util.Map;

/**
 * The read model the query API serves: plain records, stable field names, times as epoch milliseconds. They are
 * built from the topology's state stores by {@link LocalViews} and are the only view of that state other modules get.
 */
public final class Views {
    private Views() {
    }

    /**
     * One active signal as the risk board shows it: what it adds to the account's score, {@code points} = {@code weight}
     * (its kind's, from the rules) × {@code severityFactor} (its severity's); 0 for a signal beyond the strongest 25.
     */
    public record Signal(String dedupKey, String kind, String severity, String subjectId, String ticketKey, long since, String reason,
                         double points, double weight, double severityFactor, Ack acknowledged) {
    }

    /** Who acknowledged a signal's current raise, when, and what they are doing about it; null while nobody has. */
    public record Ack(String by, long at, String note) {
    }

    /** An account's risk now: score, level, why, and what it rests on. */
    public record Account(String accountId, String accountName, double score, String level, String reason, int openTickets, String owner,
                          List<Signal> signals, Resolutions resolutions) {
    }

    /**
     * An account's resolutions over the near-miss window (14 days by default): how many, how many were near-misses
     * (within SLA but past its near-miss fraction) and breaches, their shares, and the near-miss share of its norm.
     */
    public record Resolutions(int resolved, int nearMisses, int breaches, double nearMissRate, double breachRate, double nearMissNorm) {
    }

    /**
     * A team as the technician stage sees it: its resolutions over the near-miss window (near-miss rate beside breach
     * rate, and the team's own norm) and its active signals (the team's near-miss rate, its technicians' overload and
     * dependency magnets).
     */
    public record Team(String team, Resolutions resolutions, List<TeamSignal> signals) {
    }

    /** One active signal of a team or of one of its technicians. */
    public record TeamSignal(String dedupKey, String kind, String severity, long since) {
    }

    /** An SLA clock of one ticket. {@code dueAt} is when the target is reached if the clock keeps running. */
    public record Clock(String name, String calendar, long targetMillis, long elapsedMillis, double used, boolean running, boolean paused,
                        boolean stopped, Long dueAt) {
    }

    /**
     * One ticket, open or recently done, with its clocks and its active signals: {@code activeSignals} their kinds,
     * {@code signals} the announced ones with what acknowledging them needs (dedup key, raise) and who did.
     */
    public record Ticket(String ticketKey, String accountId, String accountName, String status, String statusCategory, String priority,
                         String assignee, String team, String category, String configurationItem, boolean escalated, long openedAt,
                         long lastEventAt, long lastActivityAt, Long resolvedAt, Long unassignedSince, int reopenCount,
                         int reassignmentCount, Clock response, Clock resolution, Long breachAt, List<String> activeSignals,
                         List<Signal> signals) {
        public boolean open() {
            return resolvedAt == null;
        }
    }

    /**
     * One technician's share of the open work. Partial rows from several instances add up ({@link #plus}): each
     * instance counts the tickets of its own partitions.
     */
    public record Technician(String technician, int openTickets, Map<String, Integer> byPriority, int escalated, Long oldestOpenedAt,
                             List<String> teams) {
        public Technician plus(Technician other) {
            Map<String, Integer> priorities = new java.util.TreeMap<>(byPriority);
            other.byPriority.forEach((k, v) -> priorities.merge(k, v, Integer::sum));
            java.util.TreeSet<String> allTeams = new java.util.TreeSet<>(teams);
            allTeams.addAll(other.teams);
            Long oldest = oldestOpenedAt == null ? other.oldestOpenedAt
                    : other.oldestOpenedAt == null ? oldestOpenedAt : Math.min(oldestOpenedAt, other.oldestOpenedAt);
            return new Technician(technician, openTickets + other.openTickets, priorities, escalated + other.escalated, oldest,
                    List.copyOf(allTeams));
        }
    }

    /** Nobody owns it: a ticket without an assignee, bouncing between owners, or an account without an owner. */
    public record OwnershipGap(String kind, String subjectId, String accountId, String reason, long since, String severity) {
    }

    /** A surge on a shared dimension (category, configuration item, vendor), active or recently ended. */
    public record Surge(String dimension, long since, Long until, List<String> inhibits) {
        public boolean active() {
            return until == null;
        }
    }

    /**
     * Tickets opened in a window: per hour of the week (Monday 00:00 first, in {@code zone}), per category, account
     * and priority. Partial counts from several instances add up ({@link #plus}).
     */
    /**
     * Counts behind the recurring issues of one instance's share: per dimension and value, the tickets opened in the
     * window, in the window of the same length before it, and the accounts they came from. Shares add up across
     * instances ({@link #plus}); only the sum is ranked ({@link #ranked}), since a top list of shares is not the top of the whole.
     */
    public record Recurring(long from, long to, String account, int tickets, int previousTickets,
                            Map<String, Map<String, Count>> counts, boolean complete) {
        public record Count(int tickets, int previous, java.util.SortedSet<String> accounts) {
            Count plus(Count other) {
                java.util.SortedSet<String> all = new java.util.TreeSet<>(accounts);
                all.addAll(other.accounts);
                return new Count(tickets + other.tickets, previous + other.previous, all);
            }
        }

        /** One ranked value, with its trend: its window against the one before ({@link io.bellwether.events.RecurringTrend}). */
        public record Item(String dimension, String value, int tickets, int previous, int accounts, String trend) {
        }

        public Recurring plus(Recurring other) {
            Map<String, Map<String, Count>> merged = new java.util.TreeMap<>();
            for (Map<String, Map<String, Count>> side : List.of(counts, other.counts)) {
                side.forEach((dimension, values) -> values.forEach((value, count) ->
                        merged.computeIfAbsent(dimension, d -> new java.util.TreeMap<>()).merge(value, count, Count::plus)));
            }
            return new Recurring(from, to, account, tickets + other.tickets, previousTickets + other.previousTickets, merged,
                    complete && other.complete);
        }

        public List<Item> ranked(List<String> dimensions, int top) {
            List<Item> out = new java.util.ArrayList<>();
            for (String dimension : dimensions) {
                counts.getOrDefault(dimension, Map.of()).entrySet().stream()
                        .sorted(java.util.Comparator.<Map.Entry<String, Count>>comparingInt(e -> e.getValue().tickets()).reversed()
                                .thenComparing(Map.Entry::getKey))
                        .filter(e -> e.getValue().tickets() > 0).limit(top)
                        .forEach(e -> out.add(new Item(dimension, e.getKey(), e.getValue().tickets(), e.getValue().previous(),
                                e.getValue().accounts().size(), io.bellwether.events.RecurringTrend.of(e.getValue().previous(), e.getValue().tickets()))));
            }
            return out;
        }
    }

    public record Demand(long from, long to, String zone, int total, int[] hourOfWeek, Map<String, Integer> byCategory,
                         Map<String, Integer> byAccount, Map<String, Integer> byPriority, boolean complete) {
        public Demand plus(Demand other) {
            int[] hours = hourOfWeek.clone();
            for (int i = 0; i < hours.length; i++) {
                hours[i] += other.hourOfWeek[i];
            }
            return new Demand(from, to, zone, total + other.total, hours, merge(byCategory, other.byCategory), merge(byAccount, other.byAccount),
                    merge(byPriority, other.byPriority), complete && other.complete);
        }

        private static Map<String, Integer> merge(Map<String, Integer> a, Map<String, Integer> b) {
            Map<String, Integer> out = new java.util.TreeMap<>(a);
            b.forEach((k, v) -> out.merge(k, v, Integer::sum));
            return out;
        }
    }
}
