package io.bellwether.detect.account;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.AccountState;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One account as its rules see it at one evaluation, with a builder for its verdicts. */
record AccountView(AccountState state, RuleSet settings, String owner) {

    Subject subject() {
        return Subject.newBuilder().setType(SubjectType.ACCOUNT).setId(state.getAccountId()).setName(state.getAccountName()).build();
    }

    String name() {
        return state.getAccountName() != null ? state.getAccountName() : state.getAccountId();
    }

    Map<String, String> labels() {
        Map<String, String> labels = new TreeMap<>();
        labels.put("account", name());
        if (owner != null) {
            labels.put("owner", owner);
        }
        return labels;
    }

    Builder verdict(String ruleId, int version, SignalKind kind) {
        return new Builder(this, ruleId, version, kind);
    }

    static final class Builder {
        private final AccountView account;
        private final String ruleId;
        private final int version;
        private final SignalKind kind;
        private boolean active;
        private Severity severity = Severity.WARNING;
        private String reason = "";
        private final Map<String, String> facts = new LinkedHashMap<>();
        private final Map<String, String> thresholds = new LinkedHashMap<>();
        private List<String> tickets = List.of();
        private List<String> eventIds = List.of();

        private Builder(AccountView account, String ruleId, int version, SignalKind kind) {
            this.account = account;
            this.ruleId = ruleId;
            this.version = version;
            this.kind = kind;
        }

        Builder active(Severity severity, String reason) {
            this.active = true;
            this.severity = severity;
            this.reason = reason;
            return this;
        }

        Builder inactive(String reason) {
            this.active = false;
            this.reason = reason;
            return this;
        }

        Builder fact(String key, Object value) {
            if (value != null) {
                facts.put(key, String.valueOf(value));
            }
            return this;
        }

        Builder threshold(String key, Object value) {
            thresholds.put(key, String.valueOf(value));
            return this;
        }

        Builder tickets(List<String> keys) {
            this.tickets = keys.size() > 50 ? new ArrayList<>(keys.subList(keys.size() - 50, keys.size())) : keys;
            return this;
        }

        Verdict build() {
            return new Verdict(Verdict.dedupKey(ruleId, account.subject()), ruleId, version, kind, account.subject(),
                    account.state().getAccountId(), active, severity, reason, account.labels(), eventIds, facts, thresholds, null,
                    tickets, List.of(), null);
        }
    }
}
