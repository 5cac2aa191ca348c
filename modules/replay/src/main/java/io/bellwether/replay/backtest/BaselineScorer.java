package io.bellwether.replay.backtest;

import io.bellwether.replay.TicketOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The trivial rule every backtest is measured against: "flag a ticket still open H hours after it was opened", one
 * alert per ticket at opened + H. "Still open" means not yet resolved: a ticket resolved and closed days later (as
 * ServiceNow closes incidents) is not open in between, since an alert then could not help. A signal that does not beat it on precision and recall at no more alerts is noise.
 * Scored in the same terms as the rules: precision over the flagged tickets, recall over the tickets that went bad and
 * were flagged before their bad moment, lead time from the flag to that moment.
 */
public final class BaselineScorer {
    /** The threshold quoted as the reference in the issue tracker and the README. */
    public static final int REFERENCE_HOURS = 96;
    private static final int MAX_HOURS = 60 * 24;

    private BaselineScorer() {
    }

    /**
     * Three rows: at the H that flags about as many tickets as the rules did ({@code ruleTickets}: the consolidated alert's
     * tickets, or the ticket-level signals' when there is no alert), at the H that
     * maximises F1 (whole hours, 1 h to 60 d; the smallest such H), and at the reference 96 h.
     */
    public static List<BacktestReport.Baseline> score(Collection<TicketOutcome> outcomes, long ruleTickets, Instant from, Instant to) {
        Tickets tickets = new Tickets(outcomes.stream().filter(o -> o.openedAt() != null && o.openUntil() != null).toList());
        double days = Math.max(1.0, Duration.between(from, to).toMinutes() / 1440.0);
        List<BacktestReport.Baseline> rows = new ArrayList<>();
        rows.add(tickets.at("same volume as the rules", matchingHours(tickets, ruleTickets), days));
        BacktestReport.Baseline best = null;
        for (int hours = 1; hours <= MAX_HOURS; hours++) {
            BacktestReport.Baseline row = tickets.at("best F1", hours, days);
            if (row.f1() != null && (best == null || row.f1() > best.f1() + 1e-12)) {
                best = row;
            }
        }
        rows.add(best != null ? best : tickets.at("best F1", REFERENCE_HOURS, days));
        rows.add(tickets.at("reference", REFERENCE_HOURS, days));
        return rows;
    }

    /** The baseline at {@code hours} over {@code outcomes} spanning {@code days}. */
    static BacktestReport.Baseline at(String label, int hours, List<TicketOutcome> outcomes, double days) {
        return new Tickets(outcomes).at(label, hours, days);
    }

    /**
     * The whole number of hours at which the baseline flags the number of tickets closest to {@code tickets}; of several,
     * the smallest, which flags earliest and so is the fairest competitor.
     */
    private static int matchingHours(Tickets outcomes, long tickets) {
        int bestHours = REFERENCE_HOURS;
        long bestGap = Long.MAX_VALUE;
        for (int hours = 1; hours <= MAX_HOURS; hours++) {
            long gap = Math.abs(outcomes.flagged(hours) - tickets);
            if (gap < bestGap) {
                bestGap = gap;
                bestHours = hours;
            }
        }
        return bestHours;
    }

    /** The outcomes as the baseline reads them, in epoch milliseconds, so thousands of thresholds cost little. */
    private static final class Tickets {
        private final long[] opened;
        private final long[] openFor;
        private final long[] badAt;
        private final boolean[] bad;

        Tickets(List<TicketOutcome> outcomes) {
            int n = outcomes.size();
            opened = new long[n];
            openFor = new long[n];
            badAt = new long[n];
            bad = new boolean[n];
            for (int i = 0; i < n; i++) {
                TicketOutcome o = outcomes.get(i);
                opened[i] = o.openedAt().toEpochMilli();
                openFor[i] = o.openUntil().toEpochMilli() - opened[i];
                bad[i] = o.wentBad();
                badAt[i] = bad[i] ? BacktestScorer.badAt(o).toEpochMilli() : Long.MAX_VALUE;
            }
        }

        long flagged(int hours) {
            long threshold = hours * 3_600_000L;
            long count = 0;
            for (long open : openFor) {
                if (open > threshold) {
                    count++;
                }
            }
            return count;
        }

        BacktestReport.Baseline at(String label, int hours, double days) {
            long threshold = hours * 3_600_000L;
            long flagged = 0;
            long flaggedBad = 0;
            long badCount = 0;
            List<Long> leads = new ArrayList<>();
            for (int i = 0; i < opened.length; i++) {
                boolean flags = openFor[i] > threshold;
                long flaggedAt = opened[i] + threshold;
                if (flags) {
                    flagged++;
                    if (bad[i]) {
                        flaggedBad++;
                    }
                }
                if (bad[i]) {
                    badCount++;
                    if (flags && flaggedAt < badAt[i]) {
                        leads.add((badAt[i] - flaggedAt) / 60_000L);
                    }
                }
            }
            long recalled = leads.size();
            Double precision = flagged == 0 ? null : (double) flaggedBad / flagged;
            Double recall = badCount == 0 ? null : (double) recalled / badCount;
            Double f1 = precision == null || recall == null || precision + recall == 0 ? null : 2 * precision * recall / (precision + recall);
            leads.sort(Long::compare);
            Long median = leads.isEmpty() ? null : leads.get((int) Math.max(0, Math.ceil(0.5 * leads.size()) - 1));
            return new BacktestReport.Baseline(label, hours, flagged, precision, recall, f1, flagged / days, median);
        }
    }
}
