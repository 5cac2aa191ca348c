package io.bellwether.service.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bellwether ack DEDUP_KEY}: say you are on a signal's current raise, on a running service (audited). */
@Command(name = "ack", mixinStandardHelpOptions = true,
        description = "Acknowledge a signal's current raise: the board and its later transitions show who is on it (audited).")
public final class AckCommand extends OperatorCommand {
    @Parameters(paramLabel = "DEDUP_KEY", description = "The signal's dedup key (as the board, the API and the topics show it).")
    String dedupKey;
    @Option(names = "--note", description = "What you are doing about it.")
    String note;
    @Option(names = "--raised-at", description = "The raise to acknowledge (its firstRaisedAt, ISO), for one older than the recent timeline.")
    String raisedAt;

    @Override
    int run(PrintStream out) throws ApiClient.CliException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dedupKey", dedupKey);
        body.put("by", by);
        if (note != null) {
            body.put("note", note);
        }
        if (raisedAt != null) {
            body.put("raisedAt", raisedAt);
        }
        ApiClient.Answer answer = confirmed(api.post("/api/acks", body));
        out.println("acknowledged " + dedupKey + " (raised " + time(answer.body().get("raisedAt")) + ") by " + by
                + (note == null ? "" : ": " + note));
        return 0;
    }
}
