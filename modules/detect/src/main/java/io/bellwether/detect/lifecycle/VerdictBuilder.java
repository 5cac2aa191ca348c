package io.bellwether.detect.lifecycle;

import io.bellwether.events.ClockState;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the verdict of any rule: what it concluded about its subject (active or not, how bad, why) and the evidence
 * (facts, thresholds, the SLA clock, related tickets and accounts, labels). Each stage's view pre-fills its subject,
 * account and labels ({@code TicketView#verdict}, {@code AccountView#verdict}).
 */
public final class VerdictBuilder {
    private final String ruleId;
    private final int version;
    private final SignalKind kind;
    private final Subject subject;
    private String dedupKey;
    private String accountId;
    private boolean active;
    private Severity severity = Severity.WARNING;
    private String reason = "";
    private Map<String, String> labels = Map.of();
    private List<String> eventIds = List.of();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final Map<String, String> thresholds = new LinkedHashMap<>();
    private ClockState clock;
    private List<String> relatedTickets = List.of();
    private List<String> relatedAccounts = List.of();

    public VerdictBuilder(String ruleId, int version, SignalKind kind, Subject subject) {
        this.ruleId = ruleId;
        this.version = version;
        this.kind = kind;
        this.subject = subject;
        this.dedupKey = Verdict.dedupKey(ruleId, subject);
    }

    /** A key other than {@code <rule>/<subject type>/<subject id>}, for a subject judged separately in several places. */
    public VerdictBuilder dedupKey(String key) {
        this.dedupKey = key;
        return this;
    }

    public VerdictBuilder account(String id) {
        this.accountId = id;
        return this;
    }

    public VerdictBuilder labels(Map<String, String> labels) {
        this.labels = labels;
        return this;
    }

    public VerdictBuilder eventIds(List<String> ids) {
        this.eventIds = ids;
        return this;
    }

    public VerdictBuilder active(Severity severity, String reason) {
        return outcome(true, severity, reason);
    }

    public VerdictBuilder inactive(String reason) {
        this.active = false;
        this.reason = reason;
        return this;
    }

    /** Whether the condition holds, with the severity it would have and the reason either way. */
    public VerdictBuilder outcome(boolean active, Severity severity, String reason) {
        this.active = active;
        this.severity = severity;
        this.reason = reason;
        return this;
    }

    public VerdictBuilder fact(String key, Object value) {
        if (value != null) {
            facts.put(key, String.valueOf(value));
        }
        return this;
    }

    public VerdictBuilder facts(Map<String, String> all) {
        facts.putAll(ordered(all));
        return this;
    }

    /**
     * The map in a fixed order: its own when it keeps one, else by key. Evidence is written in map order, and an
     * immutable Map.of iterates in an order salted per JVM, which would make two runs' records differ byte for byte.
     */
    private static Map<String, String> ordered(Map<String, String> all) {
        return all instanceof LinkedHashMap || all instanceof java.util.SortedMap ? all : new java.util.TreeMap<>(all);
    }

    public VerdictBuilder threshold(String key, Object value) {
        thresholds.put(key, String.valueOf(value));
        return this;
    }

    public VerdictBuilder thresholds(Map<String, String> all) {
        thresholds.putAll(ordered(all));
        return this;
    }

    public VerdictBuilder clock(ClockState clock) {
        this.clock = clock;
        return this;
    }

    public VerdictBuilder relatedTickets(List<String> keys) {
        this.relatedTickets = keys;
        return this;
    }

    public VerdictBuilder relatedAccounts(List<String> ids) {
        this.relatedAccounts = ids;
        return this;
    }

    public Verdict build() {
        return new Verdict(dedupKey, ruleId, version, kind, subject, accountId, active, severity, reason, labels, eventIds, facts,
                thresholds, clock, relatedTickets, relatedAccounts, null);
    }
}
