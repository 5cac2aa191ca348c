package io.bellwether.replay.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The backtest as one self-contained HTML page: tables and inline SVG plots (lead-time histogram, alerts per
 * day, precision against recall per rule, one account's timeline), no scripts, styles or fonts from anywhere
 * else, so it opens offline and can be mailed around.
 */
public final class HtmlReport {
    private static final String[] COLOURS = {"#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04",
            "#4b5563", "#db2777", "#65a30d", "#7c3aed", "#0d9488", "#b45309", "#1d4ed8"};

    private HtmlReport() {
    }

    public static String render(BacktestReport report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bellwether backtest</title><style>")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#111;max-width:1200px}")
                .append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}")
                .append("th{background:#f3f4f6}td:first-child,th:first-child{text-align:left}h2{margin-top:32px}")
                .append(".plots{display:flex;flex-wrap:wrap;gap:24px}.plot{border:1px solid #e5e7eb;padding:8px}")
                .append("svg text{font-size:11px;fill:#374151}.muted{color:#6b7280}</style></head><body>");
        h.append("<h1>Bellwether backtest</h1><p class=\"muted\">").append(esc(report.export())).append(" with mapping ")
                .append(esc(report.mapping())).append(": ").append(String.format(Locale.ROOT, "%,d", report.events())).append(" events, ")
                .append(String.format(Locale.ROOT, "%,d", report.tickets())).append(" tickets, ").append(report.badRows())
                .append(" rows not used, from ").append(esc(report.from())).append(" to ").append(esc(report.to()))
                .append(String.format(Locale.ROOT, "; replayed and scored in %.1f s.", report.seconds())).append("</p>");
        for (BacktestReport.Run run : report.runs()) {
            h.append("<h2>Rules: ").append(esc(run.rules())).append("</h2><p>")
                    .append(String.format(Locale.ROOT, "%,d signals raised; %,d of %,d tickets went bad (SLA missed, reopened or escalated); "
                                    + "%,d missed their SLA, %,d of them (%s) had a signal in time (before they were resolved).", run.signalsRaised(),
                            run.ticketsWentBad(), run.tickets(), run.slaMissed(), run.slaMissedSignalledInTime(),
                            pct(run.slaMissed() == 0 ? null : (double) run.slaMissedSignalledInTime() / run.slaMissed())))
                    .append("</p>");
            table(h, run);
        }
        h.append("<h2>Plots</h2><div class=\"plots\">");
        BacktestReport.Run first = report.runs().get(0);
        h.append("<div class=\"plot\"><b>Lead time before going bad (all signals)</b><br>").append(histogram(report.runs())).append("</div>");
        h.append("<div class=\"plot\"><b>Alerts per day</b><br>").append(alertsPerDay(first)).append("</div>");
        h.append("<div class=\"plot\"><b>Precision against recall, per rule</b><br>").append(scatter(report.runs())).append("</div>");
        for (BacktestReport.Timeline timeline : report.timelines()) {
            h.append("<div class=\"plot\"><b>Timeline of account ").append(esc(timeline.accountId())).append("</b><br>")
                    .append(timeline(timeline)).append("</div>");
        }
        h.append("</div><p class=\"muted\">Precision: signalled tickets that went bad (account-level signals: a ticket of the account went "
                + "bad within the look-ahead). Recall: tickets that went bad and were signalled before. Lead time: from the first such "
                + "signal to the ticket going bad.</p></body></html>");
        return h.toString();
    }

    private static void table(StringBuilder h, BacktestReport.Run run) {
        h.append("<table><tr><th>signal kind</th><th>raised</th><th>tickets</th><th>accounts</th><th>precision</th><th>recall</th>")
                .append("<th>lead p10</th><th>lead p50</th><th>lead p90</th><th>alerts/day</th></tr>");
        List<BacktestReport.KindScore> rows = new ArrayList<>(run.kinds().values());
        rows.add(run.overall());
        for (BacktestReport.KindScore k : rows) {
            h.append("<tr><td>").append(esc(k.kind())).append("</td><td>").append(k.raised()).append("</td><td>").append(k.tickets())
                    .append("</td><td>").append(k.accounts()).append("</td><td>").append(pct(k.precision())).append("</td><td>")
                    .append(pct(k.recall())).append("</td><td>").append(minutes(k.leadP10Minutes())).append("</td><td>")
                    .append(minutes(k.leadP50Minutes())).append("</td><td>").append(minutes(k.leadP90Minutes())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", k.alertsPerDay())).append("</td></tr>");
        }
        h.append("</table>");
        baselines(h, run);
    }

    /** The ticket-level signals together against "still open after H hours": does Bellwether add anything on this history? */
    private static void baselines(StringBuilder h, BacktestReport.Run run) {
        h.append("<h3>Against the baseline: \"still open after H hours\"</h3><table><tr><th>rule</th><th>tickets flagged</th>")
                .append("<th>precision</th><th>recall</th><th>F1</th><th>median lead</th><th>alerts/day</th><th>alerts per flagged ticket</th></tr>");
        if (run.ticketAlert() != null) {
            ruleRow(h, "ticket alert (one per ticket at risk)", run.ticketAlert());
        }
        ruleRow(h, "ticket signals (all ticket-level kinds)", run.ticketSignals());
        for (BacktestReport.Baseline b : run.baselines()) {
            h.append("<tr><td>open after ").append(b.hours()).append(" h (").append(esc(b.label())).append(")</td><td>").append(b.flagged())
                    .append("</td><td>").append(pct(b.precision())).append("</td><td>").append(pct(b.recall())).append("</td><td>")
                    .append(pct(b.f1())).append("</td><td>").append(minutes(b.leadP50Minutes())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", b.alertsPerDay())).append("</td><td>1.0</td></tr>");
        }
        h.append("</table>");
        if (run.scoredFrom() != null) {
            h.append("<p>Scored on the tickets opened from ").append(esc(run.scoredFrom())).append(" on.</p>");
        }
        for (BacktestReport.TruthScore t : run.truths()) {
            h.append("<p>").append(esc(t.kind())).append(" against ").append(esc(t.truth())).append(": ").append(t.caught()).append(" of the ")
                    .append(t.truthTickets()).append(" tickets it names were signalled (recall ").append(pct(t.recall())).append("); ")
                    .append(t.signalled()).append(" signalled (precision ").append(pct(t.precision())).append(").</p>");
        }
    }

    private static void ruleRow(StringBuilder h, String label, BacktestReport.KindScore t) {
        h.append("<tr><td>").append(esc(label)).append("</td><td>").append(t.tickets()).append("</td><td>").append(pct(t.precision()))
                .append("</td><td>").append(pct(t.recall())).append("</td><td>").append(pct(f1(t.precision(), t.recall()))).append("</td><td>")
                .append(minutes(t.leadP50Minutes())).append("</td><td>").append(String.format(Locale.ROOT, "%.1f", t.alertsPerDay()))
                .append("</td><td>").append(t.tickets() == 0 ? "–" : String.format(Locale.ROOT, "%.1f", (double) t.raised() / t.tickets()))
                .append("</td></tr>");
    }

    static Double f1(Double precision, Double recall) {
        return precision == null || recall == null || precision + recall == 0 ? null : 2 * precision * recall / (precision + recall);
    }

    private static String histogram(List<BacktestReport.Run> runs) {
        int width = 420;
        int height = 220;
        Map<String, Long> buckets = runs.get(0).overall().leadHistogram();
        long max = 1;
        for (BacktestReport.Run run : runs) {
            for (long v : run.overall().leadHistogram().values()) {
                max = Math.max(max, v);
            }
        }
        StringBuilder s = svg(width, height);
        int n = buckets.size();
        double slot = (width - 40.0) / n;
        int i = 0;
        for (String bucket : buckets.keySet()) {
            for (int r = 0; r < runs.size(); r++) {
                long v = runs.get(r).overall().leadHistogram().getOrDefault(bucket, 0L);
                double barH = (height - 40.0) * v / max;
                double x = 30 + i * slot + r * (slot - 6) / runs.size();
                s.append(rect(x, height - 20 - barH, (slot - 6) / runs.size(), barH, COLOURS[r]))
                        .append(text(x, height - 24 - barH, String.valueOf(v)));
            }
            s.append(text(30 + i * slot, height - 6, bucket));
            i++;
        }
        return s.append(legend(runs, width)).append("</svg>").toString();
    }

    private static String alertsPerDay(BacktestReport.Run run) {
        int width = 520;
        int height = 220;
        StringBuilder s = svg(width, height);
        List<Map.Entry<String, Long>> days = new ArrayList<>(run.alertsPerDay().entrySet());
        long max = days.stream().mapToLong(Map.Entry::getValue).max().orElse(1);
        double step = days.isEmpty() ? 0 : (width - 50.0) / days.size();
        for (int i = 0; i < days.size(); i++) {
            double barH = (height - 40.0) * days.get(i).getValue() / max;
            s.append(rect(40 + i * step, height - 20 - barH, Math.max(1, step - 1), barH, COLOURS[0]));
        }
        s.append(text(2, 14, "max " + max + "/day"));
        if (!days.isEmpty()) {
            s.append(text(40, height - 6, days.get(0).getKey())).append(text(width - 80, height - 6, days.get(days.size() - 1).getKey()));
        }
        return s.append("</svg>").toString();
    }

    private static String scatter(List<BacktestReport.Run> runs) {
        int size = 320;
        StringBuilder s = svg(size + 160, size);
        s.append("<line x1=\"30\" y1=\"290\" x2=\"300\" y2=\"290\" stroke=\"#9ca3af\"/><line x1=\"30\" y1=\"20\" x2=\"30\" y2=\"290\" stroke=\"#9ca3af\"/>")
                .append(text(250, 310, "recall")).append(text(0, 14, "precision"));
        for (int r = 0; r < runs.size(); r++) {
            for (BacktestReport.KindScore k : runs.get(r).kinds().values()) {
                if (k.precision() == null || k.recall() == null) {
                    continue;
                }
                double x = 30 + 270 * k.recall();
                double y = 290 - 270 * k.precision();
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>%s: precision %s, recall %s</title></circle>",
                        x, y, COLOURS[r], esc(k.kind()), pct(k.precision()), pct(k.recall())));
                s.append(text(x + 7, y + 4, k.kind().toLowerCase(Locale.ROOT)));
            }
        }
        return s.append(legend(runs, size + 150)).append("</svg>").toString();
    }

    private static String timeline(BacktestReport.Timeline timeline) {
        List<String> lanes = new ArrayList<>(new TreeSet<>(timeline.marks().stream().map(BacktestReport.Mark::lane).toList()));
        int width = 1100;
        int height = 30 + 18 * Math.max(1, lanes.size());
        long min = timeline.marks().stream().mapToLong(m -> Instant.parse(m.at()).toEpochMilli()).min().orElse(0);
        long max = timeline.marks().stream().mapToLong(m -> Instant.parse(m.at()).toEpochMilli()).max().orElse(1);
        double span = Math.max(1, max - min);
        StringBuilder s = svg(width, height);
        Map<String, String> kindColour = new LinkedHashMap<>();
        for (int i = 0; i < lanes.size(); i++) {
            s.append(text(2, 24 + 18 * i, lanes.get(i)));
        }
        for (BacktestReport.Mark m : timeline.marks()) {
            double x = 130 + (width - 150) * (Instant.parse(m.at()).toEpochMilli() - min) / span;
            double y = 20 + 18 * lanes.indexOf(m.lane());
            String colour = m.kind() == null ? "#9ca3af" : kindColour.computeIfAbsent(m.kind(), k -> COLOURS[kindColour.size() % COLOURS.length]);
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"10\" fill=\"%s\"><title>%s %s</title></rect>",
                    x, y, colour, esc(m.at()), esc(m.label())));
        }
        s.append(text(130, height - 4, Instant.ofEpochMilli(min).toString().substring(0, 10)))
                .append(text(width - 90, height - 4, Instant.ofEpochMilli(max).toString().substring(0, 10)));
        return s.append("</svg>").toString();
    }

    private static StringBuilder svg(int width, int height) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", width, height + 16, width, height + 16));
    }

    private static String legend(List<BacktestReport.Run> runs, int x) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; runs.size() > 1 && r < runs.size(); r++) {
            s.append(rect(x - 140, 6 + 14 * r, 10, 10, COLOURS[r])).append(text(x - 126, 15 + 14 * r, runs.get(r).rules()));
        }
        return s.toString();
    }

    private static String rect(double x, double y, double w, double h, String colour) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x, y, w, h, colour);
    }

    private static String text(double x, double y, String value) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x, y, esc(value));
    }

    static String pct(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f%%", value * 100);
    }

    static String minutes(Long minutes) {
        if (minutes == null) {
            return "–";
        }
        if (minutes < 120) {
            return minutes + "m";
        }
        if (minutes < 72 * 60) {
            return String.format(Locale.ROOT, "%.1fh", minutes / 60.0);
        }
        return String.format(Locale.ROOT, "%.1fd", minutes / 1440.0);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
