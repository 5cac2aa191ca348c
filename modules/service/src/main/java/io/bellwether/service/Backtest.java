package io.bellwether.service;

import io.bellwether.detect.rules.Rules;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.TicketEvent;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.replay.Progress;
import io.bellwether.replay.backtest.BacktestReport;
import io.bellwether.replay.backtest.BacktestScorer;
import io.bellwether.replay.backtest.AccountTimeline;
import io.bellwether.replay.backtest.BacktestFiles;
import io.bellwether.replay.recurring.RecurringIssues;
import io.bellwether.replay.backtest.MarkdownReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
            // Security and people signals are scored beside the others (their own kinds), though they travel on their own topics.
            List<RiskSignal> scored = new ArrayList<>(result.signals());
            scored.addAll(result.security());
            scored.addAll(result.people());
            runs.add(new BacktestScorer(options.lookAhead()).score(choice.label(), scored, result.alerts(), history.outcomes(),
                    from, to, options.scoredFrom()));
            if (first == null) {
                first = result;
            }
        }
        List<RiskSignal> firstSignals = first.signals();
        double seconds = (System.nanoTime() - started) / 1e9;
        BacktestReport report = new BacktestReport(options.export().getFileName().toString(), options.mapping().name(),
                history.events().size(), stats.bad(), stats.tickets(), from.toString(), to.toString(), seconds, runs,
                List.of(AccountTimeline.busiest(history, firstSignals)));
        write(report, options.outDir());
        BacktestFiles.writeSignals(firstSignals, options.outDir().resolve("signals.jsonl"));
        BacktestFiles.writeSignals(first.alerts(), options.outDir().resolve("alerts.jsonl"));
        BacktestFiles.writeSignals(first.security(), options.outDir().resolve("security-signals.jsonl"));
        BacktestFiles.writeSignals(first.people(), options.outDir().resolve("people-signals.jsonl"));
        List<RecurringIssues> recurring = RecurringIssues.of(history.events(), RecurringIssues.DEFAULT_DIMENSIONS, 10, 10);
        BacktestFiles.writeRecurringIssues(recurring, options.outDir().resolve("recurring-issues.json"));
        printRecurring(recurring.get(0));
        return report;
    }

    /** Every signal and ticket-alert transition the rules raise on {@code events}, in publication order: one in-process pass. */
    public static InProcessTopology.Result replay(Rules rules, List<TicketEvent> events, Duration tickEvery, PrintStream out) {
        long replayStarted = System.nanoTime();
        InProcessTopology.Result result = InProcessTopology.run(rules, events, tickEvery, Progress.forConsole(out, "events", events.size())::update);
        out.printf(Locale.ROOT, "  processed in %.1f s%n", (System.nanoTime() - replayStarted) / 1e9);
        return result;
    }

    /** The top three of each dimension that has any, across accounts. */
    private void printRecurring(RecurringIssues all) {
        out.printf(Locale.ROOT, "Recurring issues across accounts (%,d tickets, %s .. %s; all in recurring-issues.json):%n", all.tickets(), all.from(), all.to());
        for (String dimension : RecurringIssues.DEFAULT_DIMENSIONS) {
            List<RecurringIssues.Item> items = all.of(dimension);
            if (!items.isEmpty()) {
                out.printf(Locale.ROOT, "  %-18s %s%n", dimension, String.join(", ", items.stream().limit(3)
                        .map(i -> String.format(Locale.ROOT, "%s %,d (%s)", i.value(), i.tickets(), i.trend().toLowerCase(Locale.ROOT))).toList()));
            }
        }
    }

    private void write(BacktestReport report, Path outDir) throws Exception {
        BacktestFiles.writeReport(report, outDir);
        out.println();
        out.println(MarkdownReport.render(report));
        out.printf(Locale.ROOT, "Took %.1f s. Report: %s and %s; the signals in %s, the ticket alerts in %s%n", report.seconds(),
                outDir.resolve("backtest.html"), outDir.resolve("backtest.json"), outDir.resolve("signals.jsonl"), outDir.resolve("alerts.jsonl"));
    }

}
