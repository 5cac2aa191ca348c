package io.bellwether.detect.account;

import io.bellwether.detect.StateLists;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.FeedStage;
import io.bellwether.detect.StageStores;
import io.bellwether.detect.lifecycle.OwnershipGaps;
import io.bellwether.detect.lifecycle.Acknowledgements;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.lifecycle.Silences;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.DayCount;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.RaiseNote;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.EscalationKind;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The account stage: per client account, folds its tickets' facts and signals into the account rules, keeps the
 * account's risk score current (published on every change) and reports every escalation with its lead time.
 */
public final class AccountProcessor extends FeedStage<AccountState> {
    private final String silencesStore;
    private final String acksStore;
    private final AccountOutputs outputs;
    private static final long DAY = 86_400_000L;
    private static final int MAX_NOTES = 200;
    private static final int MAX_ACTIVE = 50;

    private final Rules rules;
    private SignalLifecycle lifecycle;
    /** The account rules' memos of the accounts judged lately (derived data: a missing one is built again). */
    private final java.util.Map<String, AccountView.Memos> memos = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, AccountView.Memos> eldest) {
            return size() > 4096;
        }
    };

    public AccountProcessor(Rules rules, DetectConfig config, DetectMetrics metrics, StageStores stores, AccountOutputs outputs) {
        super(config, metrics, stores.state());
        this.outputs = outputs;
        this.silencesStore = stores.silences();
        this.acksStore = stores.acks();
        this.rules = rules;
    }

    @Override
    protected void initStage(ProcessorContext<Void, Void> context) {
        this.lifecycle = new SignalLifecycle(rules.lifecycle(), new Silences(context.getStateStore(silencesStore)),
                new Acknowledgements(context.getStateStore(acksStore)), metrics);
    }

    @Override
    protected AccountState newState(String key, FeedItem first) {
        return AccountState.newBuilder().setAccountId(key).setAccountName(null).setOpenTicketCount(0)
                .setRecentOpened(new ArrayList<>()).setRecentResolved(new ArrayList<>()).setDays(new ArrayList<>())
                .setHandoffs(new ArrayList<>()).setActiveSignals(new HashMap<>()).setRaises(new ArrayList<>())
                .setSignals(new ArrayList<>()).setRiskHash(0).setOwnerNamed(false).setOwner(null).setNextDueAt(null).build();
    }

    /** Whether the item being applied was a fact (else a signal note, which only concerns ownership and risk). */
    private boolean factApplied = true;

    @Override
    protected void apply(String key, AccountState state, FeedItem item, long at) {
        RuleSet settings = rules.forAccount(key);
        factApplied = item.getFact() != null;
        if (item.getFact() != null) {
            applyFact(state, item.getFact(), settings);
        } else if (item.getOwner() != null) {
            state.setOwnerNamed(true);
            state.setOwner(item.getOwner().getOwnerId());
        } else if (item.getSignal() != null) {
            applySignal(state, item.getSignal(), settings);
        }
        prune(state, settings, at);
    }

    private void applyFact(AccountState state, TicketFact fact, RuleSet settings) {
        long at = fact.getAt();
        if (fact.getAccountName() != null) {
            state.setAccountName(fact.getAccountName());
        }
        int open = state.getOpenTicketCount() + (fact.getOpened() && fact.getIsOpen() ? 1 : 0) + (fact.getReopened() ? 1 : 0)
                - (fact.getResolved() ? 1 : 0);
        state.setOpenTicketCount(Math.max(0, open));
        if (fact.getOpened()) {
            state.getRecentOpened().add(note(fact, null, null));
        }
        if (fact.getResolved()) {
            state.getRecentResolved().add(note(fact, null, null));
            Rates.countResolution(state.getDays(), at, fact.getResolutionSlaUsed(), settings.nearMissRate().nearMissAt());
        }
        if (fact.getReopened()) {
            day(state, at).setReopened(day(state, at).getReopened() + 1);
        }
        if (fact.getAssigneeChanged() && fact.getAssignee() != null) {
            state.getHandoffs().add(note(fact, fact.getAssignee(), fact.getPreviousAssignee() != null ? "handoff" : "assign"));
        }
        if (fact.getEscalation() != null) {
            Escalation escalation = LeadTimes.escalate(state, fact, EscalationKind.valueOf(fact.getEscalation()),
                    settings.escalation().lookBack().toMillis());
            metrics.escalation(escalation.getAnticipated(), escalation.getLeadTimeMillis() == null ? 0 : escalation.getLeadTimeMillis());
            outputs.escalations().emit(context, state.getAccountId(), escalation, at);
        }
    }

    private void applySignal(AccountState state, SignalNote note, RuleSet settings) {
        if (SignalState.RESOLVED.name().equals(note.getState())) {
            state.getActiveSignals().remove(note.getDedupKey());
            return;
        }
        remember(state, note, settings.accountRisk());
    }

    /**
     * Keeps the account's strongest active signals: past fifty the score is long saturated, and a busy
     * client's every ticket signal would otherwise be rewritten with each of its facts.
     */
    private static void remember(AccountState state, SignalNote note, RuleSet.AccountRisk risk) {
        Map<String, SignalNote> active = state.getActiveSignals();
        active.put(note.getDedupKey(), note);
        if (active.size() > MAX_ACTIVE) {
            String weakest = null;
            double lowest = Double.MAX_VALUE;
            for (SignalNote candidate : active.values()) {
                double points = RiskScorer.points(candidate, risk);
                if (points < lowest || (points == lowest && candidate.getDedupKey().compareTo(weakest) > 0)) {
                    lowest = points;
                    weakest = candidate.getDedupKey();
                }
            }
            active.remove(weakest);
        }
    }

    @Override
    protected long evaluate(String key, AccountState state, long at) {
        RuleSet settings = rules.forAccount(key);
        String owner = owner(state);
        AccountView view = new AccountView(state, settings, owner, memos(key),
                (dedupKey, active, severity, factsHash) -> lifecycle.wouldStayQuiet(state.getSignals(), dedupKey, active, severity, factsHash, at));
        List<Verdict> verdicts = new ArrayList<>(6);
        // Repeat friction, follow-ups, reopen rate and churn change only with facts and with time.
        boolean factRules = factApplied || state.getNextDueAt() == null || at >= state.getNextDueAt();
        factApplied = true;
        if (factRules) {
            AccountRules.FACTS.evaluate(view, at, verdicts);
        }
        for (Verdict verdict : verdicts) {
            lifecycle.apply(state.getSignals(), verdict, at).ifPresent(signal -> publish(state, signal, owner));
        }
        // Decided last: it looks at every other active signal, including those just raised.
        int decided = verdicts.size();
        AccountRules.OWNER.evaluate(view, at, verdicts);
        for (Verdict verdict : verdicts.subList(decided, verdicts.size())) {
            lifecycle.apply(state.getSignals(), verdict, at).ifPresent(signal -> publish(state, signal, owner));
        }

        RiskScorer.Picture picture = RiskScorer.picture(state, settings.accountRisk());
        int fingerprint = picture.fingerprint(owner);
        if (fingerprint != state.getRiskHash()) {
            state.setRiskHash(fingerprint);
            outputs.risk().emit(context, key, RiskScorer.record(state, picture, owner, at), at);
        }
        SignalLifecycle.prune(state.getSignals(), 8);

        long next = Math.min(Math.min(factRules ? AccountRules.FACTS.nextChange(view, at) : pendingDue(state, at),
                AccountRules.OWNER.nextChange(view, at)), lifecycle.nextLifecycleMoment(state.getSignals(), verdicts, at));
        return next;
    }

    private AccountView.Memos memos(String account) {
        return memos.computeIfAbsent(account, a -> new AccountView.Memos());
    }

    /** The due moment already scheduled, when a note did not re-evaluate the fact rules. */
    private static long pendingDue(AccountState state, long at) {
        Long due = state.getNextDueAt();
        return due == null || due <= at ? Long.MAX_VALUE : due;
    }

    private void publish(AccountState state, RiskSignal signal, String owner) {
        long at = signal.getOccurredAt().toEpochMilli();
        outputs.signals().emit(context, signal.getDedupKey(), signal, at);
        if (OwnershipGaps.typeOf(signal.getKind()) != null) {
            outputs.gaps().emit(context, signal.getDedupKey(), OwnershipGaps.from(signal, owner, null, List.of(),
                    signal.getFirstRaisedAt().toEpochMilli()), at);
        }
        if (signal.getState() == SignalState.RESOLVED) {
            state.getActiveSignals().remove(signal.getDedupKey());
            return;
        }
        remember(state, SignalNote.newBuilder().setDedupKey(signal.getDedupKey())
                .setRuleId(signal.getRuleId()).setKind(signal.getKind().name()).setSeverity(signal.getSeverity().name())
                .setState(signal.getState().name()).setSubjectId(signal.getSubject().getId()).setTicketKey(null).setAt(at)
                .setFirstRaisedAt(signal.getFirstRaisedAt().toEpochMilli()).setReason(signal.getReason()).build(),
                rules.forAccount(state.getAccountId()).accountRisk());
        if (signal.getState() == SignalState.RAISED) {
            state.getRaises().add(RaiseNote.newBuilder().setDedupKey(signal.getDedupKey()).setKind(signal.getKind().name())
                    .setTicketKey(null).setAt(at).build());
        }
    }

    /** The accountable owner: the account-owners topic first (a null owner there means nobody), then the rules file. */
    private String owner(AccountState state) {
        return state.getOwnerNamed() ? state.getOwner() : rules.accountOwner(state.getAccountId());
    }

    private static TicketNote note(TicketFact fact, String who, String what) {
        return TicketNote.newBuilder().setTicketKey(fact.getTicketKey()).setAt(fact.getAt()).setAccountId(fact.getAccountId())
                .setCategory(fact.getCategory()).setConfigurationItem(fact.getConfigurationItem())
                .setPriorityLevel(fact.getPriorityLevel()).setWho(who).setWhat(what).build();
    }

    private static DayCount day(AccountState state, long at) {
        return Rates.day(state.getDays(), at);
    }

    private static void prune(AccountState state, RuleSet settings, long at) {
        long openedHorizon = Math.max(settings.repeatFriction().window().toMillis(), settings.repeatFriction().followUpWindow().toMillis());
        trim(state.getRecentOpened(), at - openedHorizon);
        trim(state.getRecentResolved(), at - settings.repeatFriction().followUpWindow().toMillis());
        trim(state.getHandoffs(), at - settings.ownerChurn().window().toMillis());
        long lookBack = at - settings.escalation().lookBack().toMillis();
        StateLists.removeIf(state.getRaises(), r -> r.getAt() < lookBack);
        while (state.getRaises().size() > MAX_NOTES) {
            state.getRaises().remove(0);
        }
        long oldestDay = Math.floorDiv(at, DAY) - Math.max(settings.reopenRate().window().toDays() + settings.reopenRate().baseline().toDays(),
                settings.nearMissRate().window().toDays() + settings.nearMissRate().baseline().toDays());
        StateLists.removeIf(state.getDays(), d -> d.getDay() < oldestDay);
    }

    private static void trim(List<TicketNote> notes, long before) {
        StateLists.removeIf(notes, n -> n.getAt() <= before);
        while (notes.size() > MAX_NOTES) {
            notes.remove(0);
        }
    }

    @Override
    protected Long nextDue(AccountState state) {
        return state.getNextDueAt();
    }

    @Override
    protected void setNextDue(AccountState state, Long due) {
        state.setNextDueAt(due);
    }

    @Override
    protected boolean isEmpty(AccountState state) {
        return !state.getOwnerNamed() && state.getOpenTicketCount() == 0 && state.getActiveSignals().isEmpty() && state.getRecentOpened().isEmpty()
                && state.getRecentResolved().isEmpty() && state.getDays().isEmpty() && state.getHandoffs().isEmpty()
                && state.getSignals().stream().noneMatch(b -> b.getActive()) && Objects.equals(state.getNextDueAt(), null);
    }
}
