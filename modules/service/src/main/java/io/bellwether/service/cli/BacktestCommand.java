package io.bellwether.service.cli;

import io.bellwether.detect.rules.RulesParser;
import io.bellwether.service.Backtest;
import io.bellwether.service.BellwetherService;
import io.bellwether.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bellwether backtest}: how early, how right and how noisy the rules would have been on an export. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Replay an export through the detection topology (in-process, on event time: no broker needed) and score its signals against what happened.")
public final class BacktestCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    ExportOptions source;

    @Option(names = "--compare", paramLabel = "FILE", description = "A second rules file, scored side by side with --rules (or the built-in rules).")
    Path compare;

    @Option(names = "--out", defaultValue = "target/backtest", paramLabel = "DIR", description = "Where backtest.html and backtest.json go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--look-ahead", defaultValue = "7d", description = "How long after an account-level signal a ticket going bad counts (default ${DEFAULT-VALUE}).")
    String lookAhead;

    @Option(names = "--tick", defaultValue = "1h", description = "Event-time spacing of clock ticks (default ${DEFAULT-VALUE}); "
            + "`replay --tick` with the same value and --surge-history raises the same signals in a running service.")
    String tick;

    @Option(names = "--scored-from", paramLabel = "DATE", description = "Score only the tickets opened from DATE on (2016-03-21, "
            + "midnight UTC, or an ISO instant): the part of the history a calibration did not see. The whole export still runs.")
    String scoredFrom;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = options.load(Map.of("data.dir", "./data/backtest"));
        List<Backtest.RulesChoice> rules = new ArrayList<>();
        rules.add(Backtest.RulesChoice.configured(config));
        if (compare != null) {
            rules.add(new Backtest.RulesChoice(compare.getFileName().toString(), RulesParser.load(compare)));
        }
        Duration ahead = io.bellwether.common.config.DurationValues.parse(lookAhead);
        Backtest.Options backtest = new Backtest.Options(source.export(), source.mapping(), rules, out, ahead,
                io.bellwether.common.config.DurationValues.parse(tick), scoredFrom == null ? null : SplitDate.parse(scoredFrom, "--scored-from"));
        long started = System.nanoTime();
        // Read the whole export first: an unreadable file or a mapping error stops before anything is processed.
        io.bellwether.replay.History history = Backtest.load(backtest, System.out);
        new Backtest(System.out).run(backtest, history, started);
        return 0;
    }
}
