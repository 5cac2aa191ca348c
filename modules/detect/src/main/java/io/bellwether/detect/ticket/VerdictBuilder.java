package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.events.ClockState;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a ticket verdict with the ticket's subject, account, labels and recent events filled in. */
final class VerdictBuilder {
    private final TicketView ticket;
    private final String ruleId;
    private final int version;
    private final SignalKind kind;
    private boolean active;
    private Severity severity = Severity.WARNING;
    private String reason = "";
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final Map<String, String> thresholds = new LinkedHashMap<>();
    private ClockState clock;

    VerdictBuilder(TicketView ticket, String ruleId, int version, SignalKind kind) {
        this.ticket = ticket;
        this.ruleId = ruleId;
        this.version = version;
        this.kind = kind;
    }

    VerdictBuilder active(Severity severity, String reason) {
        this.active = true;
        this.severity = severity;
        this.reason = reason;
        return this;
    }

    VerdictBuilder inactive(String reason) {
        this.active = false;
        this.reason = reason;
        return this;
    }

    VerdictBuilder fact(String key, Object value) {
        if (value != null) {
            facts.put(key, String.valueOf(value));
        }
        return this;
    }

    VerdictBuilder threshold(String key, Object value) {
        thresholds.put(key, String.valueOf(value));
        return this;
    }

    VerdictBuilder clock(ClockState clock) {
        this.clock = clock;
        return this;
    }

    Verdict build() {
        return new Verdict(Verdict.dedupKey(ruleId, ticket.subject()), ruleId, version, kind, ticket.subject(),
                ticket.state().getAccountId(), active, severity, reason, ticket.labels(), ticket.eventIds(), facts, thresholds,
                clock, List.of(), List.of(), null);
    }
}
