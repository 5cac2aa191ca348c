package io.bellwether.replay.backtest;

import io.bellwether.replay.TicketOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The trivial rule every backtest is measured against: "flag a ticket still open H hours after it was opened", one
 * alert per ticket at opened + H. A signal that does not beat it on precision and recall at no more alerts is noise.
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
     * Three rows: at the H that flags about as many tickets as the rules did ({@code ruleTickets}), at the H that
     * maximises F1 (whole hours, 1 h to 60 d; the smallest such H), and at the reference 96 h.
     */
    public static List<BacktestReport.Baseline> score(Collection<TicketOutcome> outcomes, long ruleTickets, Instant from, Instant to) {
        List<TicketOutcome> judged = outcomes.stream().filter(o -> o.openedAt() != null && o.endedAt() != null).toList();
        double days = Math.max(1.0, Duration.between(from, to).toMinutes() / 1440.0);
        List<BacktestReport.Baseline> rows = new ArrayList<>();
        rows.add(at("same volume as the rules", matchingHours(judged, ruleTickets), judged, days));
        BacktestReport.Baseline best = null;
        for (int hours = 1; hours <= MAX_HOURS; hours++) {
            BacktestReport.Baseline row = at("best F1", hours, judged, days);
            if (row.f1() != null && (best == null || row.f1() > best.f1() + 1e-12)) {
                best = row;
            }
        }
        rows.add(best != null ? best : at("best F1", REFERENCE_HOURS, judged, days));
        rows.add(at("reference", REFERENCE_HOURS, judged, days));
        return rows;
    }

    /**
     * The whole number of hours at which the baseline flags the number of tickets closest to {@code tickets}; of several,
     * the smallest, which flags earliest and so is the fairest competitor.
     */
    static int matchingHours(List<TicketOutcome> outcomes, long tickets) {
        int bestHours = REFERENCE_HOURS;
        long bestGap = Long.MAX_VALUE;
        for (int hours = 1; hours <= MAX_HOURS; hours++) {
            long gap = Math.abs(flagged(outcomes, hours) - tickets);
            if (gap < bestGap) {
                bestGap = gap;
                bestHours = hours;
            }
        }
        return bestHours;
    }

    private static long flagged(List<TicketOutcome> outcomes, int hours) {
        long threshold = hours * 3_600_000L;
        return outcomes.stream().filter(o -> openFor(o) > threshold).count();
    }

    static BacktestReport.Baseline at(String label, int hours, List<TicketOutcome> outcomes, double days) {
        long threshold = hours * 3_600_000L;
        long flagged = 0;
        long flaggedBad = 0;
        long bad = 0;
        long recalled = 0;
        List<Long> leads = new ArrayList<>();
        for (TicketOutcome o : outcomes) {
            boolean flags = openFor(o) > threshold;
            Instant flaggedAt = o.openedAt().plusMillis(threshold);
            if (flags) {
                flagged++;
                if (o.wentBad()) {
                    flaggedBad++;
                }
            }
            if (o.wentBad()) {
                bad++;
                Instant badAt = BacktestScorer.badAt(o);
                if (flags && flaggedAt.isBefore(badAt)) {
                    recalled++;
                    leads.add(Duration.between(flaggedAt, badAt).toMinutes());
                }
            }
        }
        Double precision = flagged == 0 ? null : (double) flaggedBad / flagged;
        Double recall = bad == 0 ? null : (double) recalled / bad;
        Double f1 = precision == null || recall == null || precision + recall == 0 ? null : 2 * precision * recall / (precision + recall);
        leads.sort(Long::compare);
        Long median = leads.isEmpty() ? null : leads.get((int) Math.max(0, Math.ceil(0.5 * leads.size()) - 1));
        return new BacktestReport.Baseline(label, hours, flagged, precision, recall, f1, flagged / days, median);
    }

    private static long openFor(TicketOutcome o) {
        return Duration.between(o.openedAt(), o.endedAt()).toMillis();
    }
}
