package io.bellwether.detect.account;

import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.AccountState;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.ArrayList;
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

    /** A verdict builder for this account: its subject, id and labels filled in. */
    VerdictBuilder verdict(String ruleId, int version, SignalKind kind) {
        return new VerdictBuilder(ruleId, version, kind, subject()).account(state.getAccountId()).labels(labels());
    }

    /** The newest fifty of {@code keys}, in their order: enough to show, and a signal stays small. */
    static List<String> newest(List<String> keys) {
        return keys.size() > 50 ? new ArrayList<>(keys.subList(keys.size() - 50, keys.size())) : keys;
    }
}
