package io.bellwether.service.cli;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bellwether rules}: validate a rules file, or print the built-in rules to start one from. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Validate a rules file, or print the built-in rules.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Defaults.class})
public final class RulesCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a rules file; prints the problem and its line if there is one.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            Rules rules = RulesParser.load(file);
            System.out.printf("%s is valid: %d calendars %s, %d account overrides, rules version %d%n", file, rules.calendars().size(),
                    rules.calendars().keySet(), rules.accounts().size(), rules.version());
            return 0;
        }
    }

    @Command(name = "defaults", mixinStandardHelpOptions = true, description = "Print the built-in rules (a rules file is merged over them).")
    static final class Defaults implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            try (InputStream in = RulesParser.class.getResourceAsStream("/" + RulesParser.BUILT_IN)) {
                System.out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return 0;
        }
    }
}
