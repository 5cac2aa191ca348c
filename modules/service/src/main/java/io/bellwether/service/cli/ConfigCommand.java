package io.bellwether.service.cli;

import io.bellwether.common.config.Settings;
import io.bellwether.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bellwether config}: every setting, its effective value and where it came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print every setting with its effective value and origin (default, file, env, flag).")
public final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        ServiceConfig config = options.load(Map.of());
        config.settings().describe().forEach((key, value) -> System.out.printf("%-34s %s%n", key, value));
        System.out.println();
        System.out.println("Environment: a setting's variable is " + Settings.envName("topics.ticket-events")
                + " for topics.ticket-events; Kafka client properties: KAFKA_SECURITY_PROTOCOL -> kafka.security.protocol.");
        config.settings().warnings().forEach(w -> System.err.println("warning: " + w));
        return 0;
    }
}
