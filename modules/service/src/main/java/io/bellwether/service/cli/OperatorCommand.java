package io.bellwether.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * A command that acts on a running service through its API: it prints what the service confirmed, or the service's
 * reason for refusing, and exits 0 only on a confirmation.
 */
abstract class OperatorCommand implements Callable<Integer> {
    @Mixin
    ApiClient api;

    @Option(names = "--by", defaultValue = "${env:BELLWETHER_USER:-${sys:user.name}}",
            description = "Who is acting, for the audit trail (env BELLWETHER_USER; default the login name: ${DEFAULT-VALUE}).")
    String by;

    @Override
    public final Integer call() {
        try {
            return run(System.out);
        } catch (Refused e) {
            System.out.println("refused: " + e.answer.reason());
            return e.answer.status() / 100 == 4 ? 2 : 1;
        } catch (ApiClient.CliException e) {
            System.out.println(e.getMessage());
            return 1;
        }
    }

    abstract int run(PrintStream out) throws ApiClient.CliException;

    /** The answer when it is a confirmation; a refusal ends the command with the service's reason (exit 2 for a 4xx). */
    static ApiClient.Answer confirmed(ApiClient.Answer answer) throws Refused {
        if (!answer.ok()) {
            throw new Refused(answer);
        }
        return answer;
    }

    /** The service said no. */
    static final class Refused extends ApiClient.CliException {
        private final transient ApiClient.Answer answer;

        Refused(ApiClient.Answer answer) {
            super(answer.reason());
            this.answer = answer;
        }
    }

    static String time(JsonNode millis) {
        return millis == null || millis.isNull() ? "-" : Instant.ofEpochMilli(millis.asLong()).toString();
    }
}
