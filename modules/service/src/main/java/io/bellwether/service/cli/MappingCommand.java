package io.bellwether.service.cli;

import io.bellwether.replay.MappingCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code bellwether mapping check}: what a mapping makes of an export, before anything starts. */
@Command(name = "mapping", mixinStandardHelpOptions = true, description = "Check an export mapping against an export.",
        subcommands = {MappingCommand.Check.class})
public final class MappingCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Read the export with the mapping and print rows, mapped statuses, priorities and teams, raw values that fell "
                    + "through to a fallback, and missing optional fields and outcomes with what a backtest does without them. Starts nothing.")
    static final class Check implements Callable<Integer> {
        @Mixin
        ExportOptions source;

        @Override
        public Integer call() {
            System.out.print(MappingCheck.report(source.export(), source.mapping()));
            return 0;
        }
    }
}
