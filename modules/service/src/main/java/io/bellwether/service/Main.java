package io.bellwether.service;

import io.bellwether.common.config.ConfigException;
import io.bellwether.detect.rules.RulesException;
import io.bellwether.embedded.EmbeddedStartException;
import io.bellwether.replay.MappingException;
import io.bellwether.serde.SchemaRegistryException;
import io.bellwether.service.cli.ConfigCommand;
import io.bellwether.service.cli.BacktestCommand;
import io.bellwether.service.cli.CalibrateCommand;
import io.bellwether.service.cli.MappingCommand;
import io.bellwether.service.cli.DemoCommand;
import io.bellwether.service.cli.ReplayCommand;
import io.bellwether.service.cli.RulesCommand;
import io.bellwether.service.cli.ProbeCommand;
import io.bellwether.service.cli.RunCommand;
import io.bellwether.service.cli.SilenceCommand;
import io.bellwether.service.cli.OwnerCommand;
import io.bellwether.service.cli.AckCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bellwether} command line. */
@Command(name = "bellwether", mixinStandardHelpOptions = true, version = "Bellwether 0.1.0",
        description = "Early service-desk risk signals from PSA ticket streams, on Kafka Streams.",
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, BacktestCommand.class, CalibrateCommand.class, MappingCommand.class, RulesCommand.class,
                ConfigCommand.class, ProbeCommand.class, SilenceCommand.class, OwnerCommand.class, AckCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("bellwether: " + message(e));
            return isUserError(e) ? 2 : 1;
        });
        return cli.execute(args);
    }

    /** Known failures speak for themselves; anything else gets its type so the report is useful. */
    private static String message(Exception e) {
        Throwable t = e;
        if (isUserError(t) || t instanceof EmbeddedStartException || t instanceof SchemaRegistryException) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static boolean isUserError(Throwable e) {
        return e instanceof ConfigException || e instanceof RulesException || e instanceof MappingException;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
