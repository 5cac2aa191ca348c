package io.bellwether.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code bellwether silence add|list|expire}: silences on a running service, through its API (audited). */
@Command(name = "silence", mixinStandardHelpOptions = true, description = "Add, list or end silences on a running service (audited).",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.List.class, SilenceCommand.Expire.class})
public final class SilenceCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Silence the signals that match every given matcher, from now for --for (or until --until), with a reason.")
    static final class Add extends OperatorCommand {
        @Option(names = "--dedup-key", description = "One signal, by its dedup key.")
        String dedupKey;
        @Option(names = "--kind", description = "A signal kind (SLA_RISK, SURGE, ...).")
        String kind;
        @Option(names = "--account", description = "Every signal of an account.")
        String account;
        @Option(names = "--subject", description = "Every signal about a subject (ticket key, technician, dimension).")
        String subject;
        @Option(names = "--rule", description = "Every signal of a rule id.")
        String rule;
        @Option(names = "--label", description = "A label that must equal a value, as name=value (repeatable).")
        Map<String, String> labels = new TreeMap<>();
        @Option(names = "--for", description = "How long, such as 1h, 30m or 2d.")
        String duration;
        @Option(names = "--until", description = "Until an ISO instant, such as 2026-12-02T18:00:00Z.")
        String until;
        @Option(names = "--comment", required = true, description = "Why (it is shown with the silence and audited).")
        String comment;
        @Option(names = "--id", description = "The silence's id (default: generated).")
        String id;

        @Override
        int run(PrintStream out) throws ApiClient.CliException {
            Map<String, String> matchers = new TreeMap<>();
            put(matchers, "dedupKey", dedupKey);
            put(matchers, "kind", kind);
            put(matchers, "accountId", account);
            put(matchers, "subjectId", subject);
            put(matchers, "ruleId", rule);
            labels.forEach((name, value) -> matchers.put("label." + name, value));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("matchers", matchers);
            if (duration != null) {
                body.put("for", duration);
            }
            if (until != null) {
                body.put("endsAt", until);
            }
            body.put("comment", comment);
            body.put("by", by);
            if (id != null) {
                body.put("id", id);
            }
            ApiClient.Answer answer = confirmed(api.post("/api/silences", body));
            out.println("silenced " + line(answer.body()));
            return 0;
        }

        private static void put(Map<String, String> matchers, String key, String value) {
            if (value != null) {
                matchers.put(key, value);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the active silences (--all: ended ones too).")
    static final class List extends OperatorCommand {
        @Option(names = "--all", description = "Include silences that have ended.")
        boolean all;

        @Override
        int run(PrintStream out) throws ApiClient.CliException {
            ApiClient.Answer answer = confirmed(api.get("/api/silences" + (all ? "?all=true" : "")));
            JsonNode items = answer.body().path("items");
            if (items.isEmpty()) {
                out.println(all ? "no silences" : "no active silences");
            }
            items.forEach(silence -> out.println(line(silence)));
            return 0;
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "End a silence now.")
    static final class Expire extends OperatorCommand {
        @Parameters(paramLabel = "ID", description = "The silence's id.")
        String id;
        @Option(names = "--comment", description = "Why it ends early (default: the silence's own comment).")
        String comment;

        @Override
        int run(PrintStream out) throws ApiClient.CliException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("by", by);
            if (comment != null) {
                body.put("comment", comment);
            }
            ApiClient.Answer answer = confirmed(api.post("/api/silences/" + ApiClient.segment(id) + "/expire", body));
            out.println("expired " + line(answer.body()));
            return 0;
        }
    }

    static String line(JsonNode silence) {
        return String.format("%s  %s  %s .. %s  by %s: %s%s", silence.path("id").asText(), silence.path("matchers"),
                OperatorCommand.time(silence.get("startsAt")), OperatorCommand.time(silence.get("endsAt")), silence.path("createdBy").asText(),
                silence.path("comment").asText(), silence.path("active").asBoolean() ? "" : "  (not active)");
    }
}
