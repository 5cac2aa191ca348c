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
        description = "Replay an export through the detection topology and score its signals against what happened.")
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

    @Option(names = "--keep-topics", description = "Keep the backtest's topics afterwards (they are deleted by default).")
    boolean keepTopics;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = options.load(Map.of("data.dir", "./data/backtest"));
        List<Backtest.RulesChoice> rules = new ArrayList<>();
        rules.add(config.rulesFile() == null ? new Backtest.RulesChoice("built-in", RulesParser.builtIn())
                : new Backtest.RulesChoice(config.rulesFile().getFileName().toString(), RulesParser.load(config.rulesFile())));
        if (compare != null) {
            rules.add(new Backtest.RulesChoice(compare.getFileName().toString(), RulesParser.load(compare)));
        }
        Duration ahead = io.bellwether.common.config.DurationValues.parse(lookAhead);
        Backtest.Options backtest = new Backtest.Options(source.export(), source.mapping(), rules, out, ahead, keepTopics);
        long started = System.nanoTime();
        // Read the whole export first: an unreadable file or a mapping error stops before a broker starts or a record is produced.
        io.bellwether.replay.History history = Backtest.load(backtest, System.out);
        try (BellwetherService.Runtime runtime = BellwetherService.Runtime.start(config, (io.bellwether.events.TopicNames) null)) {
            new Backtest(runtime, System.out).run(backtest, history, started);
        }
        return 0;
    }
}
