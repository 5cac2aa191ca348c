package io.bellwether.service.cli;

import io.bellwether.detect.rules.RulesParser;
import io.bellwether.replay.History;
import io.bellwether.replay.calibrate.CalibratedRules;
import io.bellwether.replay.calibrate.Calibrator;
import io.bellwether.service.Backtest;
import io.bellwether.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bellwether calibrate}: learn the consolidated alert's thresholds from the history before a date, write them as
 * a rules file, and score that file on the history from the date on, beside the rules it started from and the baseline.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Learn per-priority 'likely to miss' thresholds from the tickets opened before --until, write a rules file, "
                + "and backtest it on the tickets opened from --until on against the starting rules and the 'still open after H hours' baseline.")
public final class CalibrateCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    ExportOptions source;

    @Option(names = "--until", required = true, paramLabel = "DATE",
            description = "Split date (2016-03-21 is midnight UTC, or an ISO instant): learn from tickets opened before it, score on the rest.")
    String until;

    @Option(names = "--out", defaultValue = "target/calibrate", paramLabel = "DIR",
            description = "Where calibrated-rules.yaml and the backtest report go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quantile", defaultValue = "0.99", description = "Share of on-time tickets resolved within a threshold (default ${DEFAULT-VALUE}).")
    double quantile;

    @Option(names = "--tick", defaultValue = "1h", description = "Event-time spacing of clock ticks in the scoring backtest (default ${DEFAULT-VALUE}).")
    String tick;

    @Option(names = "--look-ahead", defaultValue = "7d", description = "As for backtest (default ${DEFAULT-VALUE}).")
    String lookAhead;

    @Option(names = "--no-score", description = "Only write the rules file.")
    boolean noScore;

    @Override
    public Integer call() throws Exception {
        if (!(quantile > 0 && quantile < 1)) {
            throw new io.bellwether.common.config.ConfigException("--quantile: " + quantile + " must be between 0 and 1");
        }
        Instant split = SplitDate.parse(until, "--until");
        ServiceConfig config = options.load(Map.of("data.dir", "./data/backtest"));
        Backtest.RulesChoice starting = Backtest.RulesChoice.configured(config);
        long started = System.nanoTime();
        Backtest.Options backtest = new Backtest.Options(source.export(), source.mapping(), List.of(starting), out,
                io.bellwether.common.config.DurationValues.parse(lookAhead), io.bellwether.common.config.DurationValues.parse(tick), split);
        History history = Backtest.load(backtest, System.out);

        // Opening weekdays are read in the zone the alert reads them in: the starting rules' default calendar.
        java.time.ZoneId zone = starting.rules().calendar(starting.rules().defaults().calendar()).zone();
        Calibrator.Calibration calibration = Calibrator.calibrate(history, split, Calibrator.Settings.defaults().withQuantile(quantile), zone);
        String yaml = CalibratedRules.yaml(calibration, source.export().getFileName().toString(), source.mapping().name());
        Files.createDirectories(out);
        Path rulesFile = out.resolve("calibrated-rules.yaml");
        Files.writeString(rulesFile, yaml, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "Learned from %,d tickets opened before %s:%n", calibration.tickets(), split);
        for (Calibrator.Threshold t : calibration.thresholds()) {
            System.out.printf(Locale.ROOT, "  %-3s %-9s %-8s %s%n", t.priority(), t.day() == null ? "any day" : t.day(),
                    t.learned() ? Calibrator.human(t.after()) : "none", t.basis());
        }
        System.out.println("Wrote " + rulesFile);
        if (noScore) {
            return 0;
        }
        Backtest.RulesChoice calibrated = new Backtest.RulesChoice("calibrated-rules.yaml", RulesParser.load(rulesFile));
        new Backtest(System.out).run(new Backtest.Options(backtest.export(), backtest.mapping(), List.of(calibrated, starting), out,
                backtest.lookAhead(), backtest.tickEvery(), split), history, started);
        return 0;
    }
}
