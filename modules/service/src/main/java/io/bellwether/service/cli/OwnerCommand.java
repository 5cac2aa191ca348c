package io.bellwether.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bellwether owner set|list}: who is accountable for each account, on a running service (audited). */
@Command(name = "owner", mixinStandardHelpOptions = true, description = "Set or list accounts' owners on a running service (audited).",
        subcommands = {OwnerCommand.Set.class, OwnerCommand.List.class})
public final class OwnerCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Name the account's owner (--nobody records that nobody is); it takes precedence over the rules file.")
    static final class Set extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account id.")
        String account;
        @Parameters(index = "1", arity = "0..1", paramLabel = "OWNER", description = "The accountable person's id.")
        String owner;
        @Option(names = "--name", description = "The owner's display name.")
        String name;
        @Option(names = "--nobody", description = "Record that nobody owns the account.")
        boolean nobody;

        @Override
        int run(PrintStream out) throws ApiClient.CliException {
            if ((owner == null) == !nobody) {
                out.println("give either OWNER or --nobody");
                return 2;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ownerId", nobody ? null : owner);
            if (name != null) {
                body.put("ownerName", name);
            }
            body.put("by", by);
            ApiClient.Answer answer = confirmed(api.put("/api/owners/" + ApiClient.segment(account), body));
            JsonNode set = answer.body();
            out.println(set.path("accountId").asText() + " owned by " + (set.get("ownerId").isNull() ? "nobody" : set.get("ownerId").asText())
                    + " from " + time(set.get("updatedAt")));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every account the service knows, with its owner.")
    static final class List extends OperatorCommand {
        @Override
        int run(PrintStream out) throws ApiClient.CliException {
            ApiClient.Answer answer = confirmed(api.get("/api/accounts?limit=10000"));
            java.util.List<String> lines = new java.util.ArrayList<>();
            answer.body().path("items").forEach(account -> lines.add(String.format("%-24s %-24s %s", account.path("accountId").asText(),
                    account.path("accountName").asText(""), account.hasNonNull("owner") ? account.get("owner").asText() : "(no owner)")));
            lines.sort(null);
            if (lines.isEmpty()) {
                out.println("no account seen yet");
            }
            lines.forEach(out::println);
            return 0;
        }
    }
}
