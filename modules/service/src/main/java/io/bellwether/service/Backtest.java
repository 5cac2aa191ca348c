package io.bellwether.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bellwether.detect.rules.Rules;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SubjectType;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.replay.InProcessTopology;
import io.bellwether.replay.Progress;
import io.bellwether.replay.backtest.BacktestReport;
import io.bellwether.replay.backtest.BacktestScorer;
import io.bellwether.replay.backtest.HtmlReport;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Replays an export through the detection topology, once per rules file, and scores the signals against the export's
 * outcomes. The topology runs in-process on event time ({@link InProcessTopology}): no broker, no registry, one pass,
 * and the same signals on every run, which are the signals a live replay of the same export raises
 * ({@code ReplayDeterminismIntegrationTest}).
 */
public final class Backtest {

    /** One rules file to score, with the label the report uses. */
    public record RulesChoice(String label, Rules rules) {
        /** The configured rules file (its file name as the label), or the built-in rules. */
        public static RulesChoice configured(ServiceConfig config) {
            return config.rulesFile() == null ? new RulesChoice("built-in", io.bellwether.detect.rules.RulesParser.builtIn())
                    : new RulesChoice(config.rulesFile().getFileName().toString(), io.bellwether.detect.rules.RulesParser.load(config.rulesFile()));
        }
    }

    /**
     * @param tickEvery  event-time spacing of clock ticks: a replay into a service with the same spacing (and its surge
     *                   history, {@code replay --surge-history}) raises the same signals
     * @param scoredFrom when not null, only the tickets opened from then on are scored (the whole history still runs, so
     *                   every stage has its past): the part a calibration did not see
     */
    public record Options(Path export, ExportMapping mapping, List<RulesChoice> rules, Path outDir, Duration lookAhead, Duration tickEvery,
                          Instant scoredFrom) {
        public Options(Path export, ExportMapping mapping, List<RulesChoice> rules, Path outDir, Duration lookAhead, Duration tickEvery) {
            this(export, mapping, rules, outDir, lookAhead, tickEvery, null);
        }
    }

    private final PrintStream out;

    public Backtest(PrintStream out) {
        this.out = out;
    }

    public BacktestReport run(Options options) throws Exception {
        long started = System.nanoTime();
        return run(options, load(options, out), started);
    }

    /**
     * Reads and maps the export, printing unusable rows (file, line, reason). Done before anything starts: an
     * unreadable file or a mapping error stops here, with nothing produced.
     */
    public static History load(Options options, PrintStream out) {
        int[] shown = {0};
        History history = HistoryLoader.load(options.export(), options.mapping(), bad -> {
            if (shown[0]++ < 20) {
                out.println("  skipped " + bad);
            }
        });
        History.Stats stats = history.stats();
        if (stats.bad() > 20) {
            out.printf("  ... %d rows skipped in all%n", stats.bad());
        }
        if (history.events().isEmpty()) {
            throw new io.bellwether.replay.MappingException("The export " + options.export() + " gave no events with mapping "
                    + options.mapping().name() + " (" + stats.bad() + " rows could not be used)");
        }
        Instant from = history.events().get(0).getOccurredAt();
        Instant to = history.events().get(history.events().size() - 1).getOccurredAt();
        out.printf(Locale.ROOT, "Loaded %,d events of %,d tickets (%s .. %s) from %s; %,d rows skipped by the mapping, %,d unusable, "
                        + "%,d out-of-order times clamped.%n", history.events().size(), stats.tickets(), from, to, options.export().getFileName(),
                stats.skipped(), stats.bad(), stats.clampedTimes());
        return history;
    }

    /** Replays a loaded history under each rules file, scores it, writes the reports. */
    public BacktestReport run(Options options, History history, long started) throws Exception {
        History.Stats stats = history.stats();
        Instant from = history.events().get(0).getOccurredAt();
        Instant to = history.events().get(history.events().size() - 1).getOccurredAt();

        List<BacktestReport.Run> runs = new ArrayList<>();
        InProcessTopology.Result first = null;
        for (RulesChoice choice : options.rules()) {
            out.printf("Rules '%s': replaying through the topology in-process ...%n", choice.label());
            InProcessTopology.Result result = replay(choice.rules(), history.events(), options.tickEvery(), out);
            runs.add(new BacktestScorer(options.lookAhead()).score(choice.label(), result.signals(), result.alerts(), history.outcomes(),
                    from, to, options.scoredFrom()));
            if (first == null) {
                first = result;
            }
        }
        List<RiskSignal> firstSignals = first.signals();
        double seconds = (System.nanoTime() - started) / 1e9;
        BacktestReport report = new BacktestReport(options.export().getFileName().toString(), options.mapping().name(),
                history.events().size(), stats.bad(), stats.tickets(), from.toString(), to.toString(), seconds, runs,
                List.of(timeline(history, firstSignals)));
        write(report, options.outDir());
        writeSignals(firstSignals, options.outDir().resolve("signals.jsonl"));
        writeSignals(first.alerts(), options.outDir().resolve("alerts.jsonl"));
        return report;
    }

    /**
     * Every transition of the first rules file, one JSON object a line in publication order (dedup key, kind, state,
     * severity, subject, account, event time, reason), so a backtest can be scored by other means than this one.
     */
    private static void writeSignals(List<RiskSignal> signals, Path file) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (RiskSignal s : signals) {
                Map<String, Object> line = new java.util.LinkedHashMap<>();
                line.put("dedupKey", s.getDedupKey());
                line.put("kind", s.getKind().name());
                line.put("state", s.getState().name());
                line.put("severity", s.getSeverity().name());
                line.put("subjectType", s.getSubject().getType().name());
                line.put("subject", s.getSubject().getId());
                line.put("accountId", s.getAccountId());
                line.put("occurredAt", s.getOccurredAt().toString());
                line.put("reason", s.getReason());
                writer.write(json.writeValueAsString(line));
                writer.newLine();
            }
        }
    }

    /** Every signal and ticket-alert transition the rules raise on {@code events}, in publication order: one in-process pass. */
    public static InProcessTopology.Result replay(Rules rules, List<TicketEvent> events, Duration tickEvery, PrintStream out) {
        long replayStarted = System.nanoTime();
        InProcessTopology.Result result = InProcessTopology.run(rules, events, tickEvery, Progress.forConsole(out, "events", events.size())::update);
        out.printf(Locale.ROOT, "  processed in %.1f s%n", (System.nanoTime() - replayStarted) / 1e9);
        return result;
    }

    /** The account with the most signals: its tickets' lives and every signal about it, for the report's timeline. */
    private static BacktestReport.Timeline timeline(History history, List<RiskSignal> signals) {
        Map<String, Long> perAccount = signals.stream().filter(s -> s.getAccountId() != null)
                .collect(Collectors.groupingBy(RiskSignal::getAccountId, Collectors.counting()));
        String account = perAccount.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(null);
        List<BacktestReport.Mark> marks = new ArrayList<>();
        if (account == null) {
            return new BacktestReport.Timeline("(none)", marks);
        }
        // At most 25 tickets, so the plot stays readable: the account's first ones.
        Set<String> lanes = new java.util.LinkedHashSet<>();
        for (TicketEvent e : history.events()) {
            String key = TicketKeys.ticketKey(e);
            if (!account.equals(e.getAccountId()) || (!lanes.contains(key) && lanes.size() >= 25)) {
                continue;
            }
            lanes.add(key);
            if (e.getEventType() != TicketEventType.UPDATED) {
                marks.add(new BacktestReport.Mark(e.getOccurredAt().toString(), e.getTicketId(), e.getEventType().name(), null));
            }
        }
        signals.stream().filter(s -> account.equals(s.getAccountId()) && s.getState() == io.bellwether.events.SignalState.RAISED)
                .sorted(Comparator.comparing(RiskSignal::getOccurredAt))
                .forEach(s -> {
                    boolean ticket = s.getSubject().getType() == SubjectType.TICKET;
                    String id = s.getSubject().getId();
                    String lane = ticket ? id.substring(id.indexOf(':') + 1) : "(account)";
                    if (!ticket || lanes.contains(id)) {
                        marks.add(new BacktestReport.Mark(s.getOccurredAt().toString(), lane, s.getKind() + ": " + s.getReason(), s.getKind().name()));
                    }
                });
        return new BacktestReport.Timeline(account, marks);
    }

    private void write(BacktestReport report, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(outDir.resolve("backtest.json"), json.writeValueAsString(report), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("backtest.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
        out.println();
        out.println(markdown(report));
        out.printf(Locale.ROOT, "Took %.1f s. Report: %s and %s; the signals in %s, the ticket alerts in %s%n", report.seconds(),
                outDir.resolve("backtest.html"), outDir.resolve("backtest.json"), outDir.resolve("signals.jsonl"), outDir.resolve("alerts.jsonl"));
    }

    /** The headline table per rules file, in Markdown. */
    public static String markdown(BacktestReport report) {
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
