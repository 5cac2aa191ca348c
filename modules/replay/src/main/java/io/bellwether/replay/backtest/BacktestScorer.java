package io.bellwether.replay.backtest;

import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalState;
import io.bellwether.events.SubjectType;
import io.bellwether.replay.TicketOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges signals against what happened. A ticket "went bad" if it missed its SLA (the export's own outcome), was
 * reopened, or escalated; its bad moment is the earliest of those the export dates (an SLA miss is dated by the
 * first row that records it, which exports log late), else its last event.
 *
 * <ul>
 *   <li>Precision: of the tickets a kind signalled, how many went bad. Account-level kinds count as right when one
 *       of the account's tickets went bad within the look-ahead after the signal.</li>
 *   <li>Recall: of the tickets that went bad, how many the kind had signalled before their bad moment (account-level
 *       kinds: a signal on their account, within the look-ahead before).</li>
 *   <li>Lead time: bad moment minus the kind's first earlier signal, over the recalled tickets.</li>
 * </ul>
 * Beside the rules, every run scores the "still open after H hours" baseline ({@link BaselineScorer}) against the
 * ticket-level signals together.
 */
public final class BacktestScorer {
    private final Duration lookAhead;

    public BacktestScorer(Duration lookAhead) {
        this.lookAhead = lookAhead;
    }

    public BacktestReport.Run score(String label, List<RiskSignal> signals, Map<String, TicketOutcome> outcomes, Instant from, Instant to) {
        return score(label, signals, List.of(), outcomes, from, to, null);
    }

    /**
     * Scores the fine-grained signals and the consolidated ticket alert.
     *
     * @param scoredFrom when not null, only the tickets opened from then on are judged (with their signals), and account
     *                   signals from then on: the part of a history a calibration did not see
     */
    public BacktestReport.Run score(String label, List<RiskSignal> signals, List<RiskSignal> alerts, Map<String, TicketOutcome> allOutcomes,
                                    Instant from, Instant to, Instant scoredFrom) {
        Map<String, TicketOutcome> outcomes = scoredFrom == null ? allOutcomes : scored(allOutcomes, scoredFrom);
        Instant start = scoredFrom == null ? from : scoredFrom;
        List<RiskSignal> raised = inScope(signals, outcomes, scoredFrom);
        List<RiskSignal> alertsRaised = inScope(alerts, outcomes, scoredFrom);
        Map<String, List<RiskSignal>> byKind = new TreeMap<>();
        raised.forEach(s -> byKind.computeIfAbsent(s.getKind().name(), k -> new ArrayList<>()).add(s));
        Map<String, List<TicketOutcome>> byAccount = new HashMap<>();
        outcomes.values().forEach(o -> byAccount.computeIfAbsent(String.valueOf(o.accountId()), a -> new ArrayList<>()).add(o));
        double days = Math.max(1.0, Duration.between(start, to).toMinutes() / 1440.0);

        Map<String, BacktestReport.KindScore> kinds = new LinkedHashMap<>();
        byKind.forEach((kind, list) -> kinds.put(kind, scoreKind(kind, list, outcomes, byAccount, days)));
        BacktestReport.KindScore overall = scoreKind("ALL", raised, outcomes, byAccount, days);
        long bad = outcomes.values().stream().filter(TicketOutcome::wentBad).count();
        long missed = outcomes.values().stream().filter(TicketOutcome::slaMissed).count();
        Index all = new Index(raised);
        long missedSignalled = outcomes.values().stream().filter(TicketOutcome::slaMissed)
                .filter(o -> all.firstBefore(o, badAt(o), lookAhead) != null).count();
        Map<String, Long> perDay = new TreeMap<>();
        raised.forEach(s -> perDay.merge(s.getOccurredAt().toString().substring(0, 10), 1L, Long::sum));
        List<RiskSignal> ticketLevel = raised.stream().filter(s -> s.getSubject().getType() == SubjectType.TICKET).toList();
        BacktestReport.KindScore ticketSignals = scoreKind("ticket signals", ticketLevel, outcomes, byAccount, days);
        BacktestReport.KindScore alert = alertsRaised.isEmpty() ? null : scoreKind("ticket alert", alertsRaised, outcomes, byAccount, days);
        long matchTickets = alert != null ? alert.tickets() : ticketSignals.tickets();
        return new BacktestReport.Run(label, raised.size(), outcomes.size(), bad, missed, missedSignalled, kinds, overall, perDay,
                ticketSignals, BaselineScorer.score(outcomes.values(), matchTickets, start, to), alert,
                scoredFrom == null ? null : scoredFrom.toString(), truths(raised, outcomes));
    }

    /** PING_PONG against the export's ping-pong truth, when it has one. */
    private static List<BacktestReport.TruthScore> truths(List<RiskSignal> raised, Map<String, TicketOutcome> outcomes) {
        List<TicketOutcome> known = outcomes.values().stream().filter(o -> o.pingPonged() != null).toList();
        if (known.isEmpty()) {
            return List.of();
        }
        Set<String> signalled = new HashSet<>();
        raised.stream().filter(s -> s.getKind() == io.bellwether.events.SignalKind.PING_PONG && s.getSubject().getType() == SubjectType.TICKET)
                .map(s -> s.getSubject().getId()).filter(outcomes::containsKey).forEach(signalled::add);
        long truth = known.stream().filter(TicketOutcome::pingPonged).count();
        long caught = known.stream().filter(o -> o.pingPonged() && signalled.contains(o.ticketKey())).count();
        long judged = known.stream().filter(o -> signalled.contains(o.ticketKey())).count();
        return List.of(new BacktestReport.TruthScore("PING_PONG", "ping-pong per the export", truth, judged, caught,
                judged == 0 ? null : (double) caught / judged, truth == 0 ? null : (double) caught / truth));
    }

    /** The tickets opened from {@code scoredFrom} on. */
    private static Map<String, TicketOutcome> scored(Map<String, TicketOutcome> outcomes, Instant scoredFrom) {
        Map<String, TicketOutcome> kept = new LinkedHashMap<>();
        outcomes.forEach((key, o) -> {
            if (o.openedAt() != null && !o.openedAt().isBefore(scoredFrom)) {
                kept.put(key, o);
            }
        });
        return kept;
    }

    /** Raised transitions, sorted; within a scored part, those about its tickets or (not about a ticket) from its start. */
    private static List<RiskSignal> inScope(List<RiskSignal> signals, Map<String, TicketOutcome> outcomes, Instant scoredFrom) {
        return signals.stream().filter(s -> s.getState() == SignalState.RAISED)
                .filter(s -> scoredFrom == null || (s.getSubject().getType() == SubjectType.TICKET
                        ? outcomes.containsKey(s.getSubject().getId()) : !s.getOccurredAt().isBefore(scoredFrom)))
                .sorted(Comparator.comparing(RiskSignal::getOccurredAt).thenComparing(RiskSignal::getDedupKey)).toList();
    }

    private BacktestReport.KindScore scoreKind(String kind, List<RiskSignal> raised, Map<String, TicketOutcome> outcomes,
                                               Map<String, List<TicketOutcome>> byAccount, double days) {
        Set<String> tickets = new HashSet<>();
        Set<String> accounts = new HashSet<>();
        int hits = 0;
        int judged = 0;
        Set<String> judgedTickets = new HashSet<>();
        for (RiskSignal s : raised) {
            if (s.getAccountId() != null) {
                accounts.add(s.getAccountId());
            }
            if (s.getSubject().getType() == SubjectType.TICKET) {
                String ticket = s.getSubject().getId();
                tickets.add(ticket);
                if (judgedTickets.add(ticket) && outcomes.containsKey(ticket)) {
                    judged++;
                    if (outcomes.get(ticket).wentBad()) {
                        hits++;
                    }
                }
            } else if (s.getAccountId() != null) {
                judged++;
                Instant at = s.getOccurredAt();
                boolean followed = byAccount.getOrDefault(s.getAccountId(), List.of()).stream()
                        .anyMatch(o -> o.wentBad() && !badAt(o).isBefore(at) && badAt(o).isBefore(at.plus(lookAhead)));
                if (followed) {
                    hits++;
                }
            }
        }
        List<Long> leads = new ArrayList<>();
        long bad = 0;
        long recalled = 0;
        Index index = new Index(raised);
        for (TicketOutcome o : outcomes.values()) {
            if (!o.wentBad()) {
                continue;
            }
            bad++;
            RiskSignal first = index.firstBefore(o, badAt(o), lookAhead);
            if (first != null) {
                recalled++;
                leads.add(Duration.between(first.getOccurredAt(), badAt(o)).toMinutes());
            }
        }
        leads.sort(Long::compare);
        return new BacktestReport.KindScore(kind, raised.size(), tickets.size(), accounts.size(),
                judged == 0 ? null : (double) hits / judged, bad == 0 ? null : (double) recalled / bad, recalled,
                percentile(leads, 0.10), percentile(leads, 0.50), percentile(leads, 0.90), raised.size() / days, histogram(leads));
    }

    /** Raised signals by ticket and by account, each in time order. */
    private static final class Index {
        private final Map<String, List<RiskSignal>> byTicket = new HashMap<>();
        private final Map<String, List<RiskSignal>> byAccount = new HashMap<>();

        Index(List<RiskSignal> raised) {
            for (RiskSignal s : raised) {
                if (s.getSubject().getType() == SubjectType.TICKET) {
                    byTicket.computeIfAbsent(s.getSubject().getId(), k -> new ArrayList<>()).add(s);
                } else if (s.getAccountId() != null) {
                    byAccount.computeIfAbsent(s.getAccountId(), k -> new ArrayList<>()).add(s);
                }
            }
        }

        /** The earliest signal before {@code before} about this ticket, or about its account within the look-ahead. */
        RiskSignal firstBefore(TicketOutcome o, Instant before, Duration lookAhead) {
            RiskSignal first = null;
            for (RiskSignal s : byTicket.getOrDefault(o.ticketKey(), List.of())) {
                if (s.getOccurredAt().isBefore(before)) {
                    first = s;
                    break;
                }
            }
            if (o.accountId() != null) {
                for (RiskSignal s : byAccount.getOrDefault(o.accountId(), List.of())) {
                    if (!s.getOccurredAt().isBefore(before)) {
                        break;
                    }
                    if (s.getOccurredAt().isAfter(before.minus(lookAhead))) {
                        if (first == null || s.getOccurredAt().isBefore(first.getOccurredAt())) {
                            first = s;
                        }
                        break;
                    }
                }
            }
            return first;
        }
    }

    /**
     * The moment a ticket went bad, for "signalled before": an SLA miss by its first resolution at the latest (exports
     * record the miss late, ServiceNow at closure days after; an alert after the resolution could not have helped).
     */
    static Instant badAt(TicketOutcome o) {
        Instant at = o.endedAt();
        if (o.slaMissedSeenAt() != null && o.slaMissedSeenAt().isBefore(at)) {
            at = o.slaMissedSeenAt();
        }
        if (o.slaMissed() && o.resolvedAt() != null && o.resolvedAt().isBefore(at)) {
            at = o.resolvedAt();
        }
        if (o.escalatedAt() != null && o.escalatedAt().isBefore(at)) {
            at = o.escalatedAt();
        }
        return at;
    }

    private static Long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p * sorted.size()) - 1));
        return sorted.get(index);
    }

    /** Lead times in minutes, bucketed: <1h, 1-4h, 4-8h, 8-24h, 1-3d, 3-7d, >7d. */
    private static Map<String, Long> histogram(List<Long> leads) {
        String[] labels = {"<1h", "1-4h", "4-8h", "8-24h", "1-3d", "3-7d", ">7d"};
        long[] upper = {60, 240, 480, 1440, 4320, 10080, Long.MAX_VALUE};
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (String label : labels) {
            buckets.put(label, 0L);
        }
        for (long lead : leads) {
            for (int i = 0; i < upper.length; i++) {
                if (lead < upper[i]) {
                    buckets.merge(labels[i], 1L, Long::sum);
                    break;
                }
            }
        }
        return buckets;
    }
}
