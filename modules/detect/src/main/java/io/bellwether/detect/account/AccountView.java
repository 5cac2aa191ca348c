package io.bellwether.detect.account;

import io.bellwether.detect.lifecycle.QuietCheck;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One account as its rules see it at one evaluation, with a builder for its verdicts. What every verdict of the
 * evaluation carries (subject, labels) is built once per evaluation, not once per rule.
 */
final class AccountView {
    private final AccountState state;
    private final RuleSet settings;
    private final String owner;
    private final Memos memos;
    private final QuietCheck quiet;
    private Subject subject;
    private Map<String, String> labels;

    /** What the account's rules keep between evaluations of one account (see {@link WindowMemo}). */
    static final class Memos {
        /** Openings in the repeat-friction window, and what most of them share. */
        final WindowMemo<AccountRules.Shared> opened = new WindowMemo<>();
        /** The best follow-up pattern. */
        final AccountRules.FollowUps followUps = new AccountRules.FollowUps();
        /** Openings in time order, indexed for the follow-up rule. */
        final AccountRules.Openings openings = new AccountRules.Openings();
        /** Hand-overs in the churn window, counted. */
        final WindowMemo<AccountRules.Churn> handoffs = new WindowMemo<>();
    }

    AccountView(AccountState state, RuleSet settings, String owner, Memos memos, QuietCheck quiet) {
        this.state = state;
        this.settings = settings;
        this.owner = owner;
        this.memos = memos;
        this.quiet = quiet;
    }

    /** Whether the rule's verdict with this outcome would change nothing now (then it need not be built). */
    boolean wouldStayQuiet(String ruleId, boolean active, io.bellwether.events.Severity severity, java.util.Map<String, String> facts) {
        return quiet.wouldStayQuiet(ruleId + "/account/" + state.getAccountId(), active, severity.name(), facts.hashCode());
    }

    Memos memos() {
        return memos;
    }

    AccountState state() {
        return state;
    }

    RuleSet settings() {
        return settings;
    }

    String owner() {
        return owner;
    }

    Subject subject() {
        if (subject == null) {
            subject = Subject.newBuilder().setType(SubjectType.ACCOUNT).setId(state.getAccountId()).setName(state.getAccountName()).build();
        }
        return subject;
    }

    String name() {
        return state.getAccountName() != null ? state.getAccountName() : state.getAccountId();
    }

    Map<String, String> labels() {
        if (labels == null) {
            Map<String, String> built = new TreeMap<>();
            built.put("account", name());
            if (owner != null) {
                built.put("owner", owner);
            }
            labels = Collections.unmodifiableMap(built);
        }
        return labels;
    }

    /**
     * Whether the rule's signal for this account is active (announced or held back). A rule whose condition does not hold
     * and whose signal is not active has nothing to tell the lifecycle, so it need not build a verdict at all.
     */
    boolean raised(String ruleId) {
        String key = ruleId + "/account/" + state.getAccountId();
        for (SignalBook book : state.getSignals()) {
            if (book.getActive() && book.getDedupKey().equals(key)) {
                return true;
            }
        }
        return false;
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
