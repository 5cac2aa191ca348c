package io.bellwether.replay.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The backtest's headline tables in Markdown, as the console and the README show them. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    /** The headline table per rules file, in Markdown. */
    public static String render(BacktestReport report) {
        StringBuilder m = new StringBuilder();
        for (BacktestReport.Run run : report.runs()) {
            if (run.scoredFrom() != null) {
                m.append("Scored on the tickets opened from ").append(run.scoredFrom()).append(" on.\n");
            }
            m.append(String.format(Locale.ROOT, "Rules %s: %,d signals; %,d of %,d tickets went bad; %,d missed their SLA, %,d (%s) signalled in time (before they were resolved).%n%n",
                    run.rules(), run.signalsRaised(), run.ticketsWentBad(), run.tickets(), run.slaMissed(), run.slaMissedSignalledInTime(),
                    pct(run.slaMissed() == 0 ? null : (double) run.slaMissedSignalledInTime() / run.slaMissed())));
            m.append("| signal kind | raised | tickets | precision | recall | lead p10 | median lead | lead p90 | alerts/day |\n");
            m.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            List<BacktestReport.KindScore> rows = new ArrayList<>(run.kinds().values());
            rows.add(run.overall());
            for (BacktestReport.KindScore k : rows) {
                m.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s | %s | %.1f |%n", k.kind(), k.raised(), k.tickets(),
                        pct(k.precision()), pct(k.recall()), minutes(k.leadP10Minutes()), minutes(k.leadP50Minutes()),
                        minutes(k.leadP90Minutes()), k.alertsPerDay()));
            }
            m.append('\n');
            m.append("| against the baseline | tickets flagged | precision | recall | F1 | median lead | alerts/day | alerts per flagged ticket |\n");
            m.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            if (run.ticketAlert() != null) {
                m.append(ruleRow("ticket alert (one per ticket at risk)", run.ticketAlert()));
            }
            m.append(ruleRow("ticket signals (all ticket-level kinds)", run.ticketSignals()));
            for (BacktestReport.Baseline b : run.baselines()) {
                m.append(String.format(Locale.ROOT, "| open after %d h (%s) | %,d | %s | %s | %s | %s | %.1f | 1.0 |%n", b.hours(), b.label(),
                        b.flagged(), pct(b.precision()), pct(b.recall()), pct(b.f1()), minutes(b.leadP50Minutes()), b.alertsPerDay()));
            }
            m.append('\n');
            for (BacktestReport.TruthScore t : run.truths()) {
                m.append(String.format(Locale.ROOT, "%s against %s: %,d of the %,d tickets it names were signalled (recall %s); %,d signalled"
                        + " (precision %s).%n%n", t.kind(), t.truth(), t.caught(), t.truthTickets(), pct(t.recall()), t.signalled(), pct(t.precision())));
            }
        }
        return m.toString();
    }

    private static String ruleRow(String label, BacktestReport.KindScore t) {
        return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %.1f | %s |%n", label, t.tickets(),
                pct(t.precision()), pct(t.recall()), pct(f1(t.precision(), t.recall())), minutes(t.leadP50Minutes()), t.alertsPerDay(),
                t.tickets() == 0 ? "–" : String.format(Locale.ROOT, "%.1f", (double) t.raised() / t.tickets()));
    }

    private static Double f1(Double precision, Double recall) {
        return precision == null || recall == null || precision + recall == 0 ? null : 2 * precision * recall / (precision + recall);
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private static String minutes(Long minutes) {
        if (minutes == null) {
            return "–";
        }
        return minutes < 120 ? minutes + "m" : minutes < 72 * 60 ? String.format(Locale.ROOT, "%.1fh", minutes / 60.0)
                : String.format(Locale.ROOT, "%.1fd", minutes / 1440.0);
    }
}
