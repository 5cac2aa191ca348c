package io.bellwether.detect.surge;

import io.bellwether.detect.StateLists;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.FeedStage;
import io.bellwether.detect.StageStores;
import io.bellwether.detect.lifecycle.Acknowledgements;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.lifecycle.Silences;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.SurgeState;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The surge stage, per shared dimension value (a category, configuration item or vendor) across all accounts:
 * new tickets within the window far above the dimension's trailing baseline, from several accounts, is an outage
 * or an onboarding wave rather than many separate problems. A surge stays up while new tickets keep coming (at least
 * half its trigger within the window) or while at least half a trigger's worth of its tickets are still open: the
 * wave is over when its tickets are resolved, not when the phones stop ringing. While up it inhibits the
 * per-ticket noise it explains. The same stage counts security bursts ({@link SecurityBurstRule}) on their own keys.
 */
public final class SurgeProcessor extends FeedStage<SurgeState> {
    private final String silencesStore;
    private final String acksStore;
    private final SurgeOutputs outputs;
    static final String RULE_ID = "surge";
    static final String RESOLVED = "resolved";
    private static final long HOUR = 3_600_000L;
    private static final int MAX_RECENT = 500;

    private final Rules rules;
    private final SecurityBurstRule securityBurst;
    private SignalLifecycle lifecycle;

    public SurgeProcessor(Rules rules, DetectConfig config, DetectMetrics metrics, StageStores stores, SurgeOutputs outputs) {
        super(config, metrics, stores.state());
        this.outputs = outputs;
        this.silencesStore = stores.silences();
        this.acksStore = stores.acks();
        this.rules = rules;
        this.securityBurst = new SecurityBurstRule(rules.security().burst());
    }

    @Override
    protected void initStage(ProcessorContext<Void, Void> context) {
        this.lifecycle = new SignalLifecycle(rules.lifecycle(), new Silences(context.getStateStore(silencesStore)),
                new Acknowledgements(context.getStateStore(acksStore)), metrics);
    }

    @Override
    protected SurgeState newState(String key, FeedItem first) {
        long hour = first.getFact() == null ? 0 : Math.floorDiv(first.getFact().getAt(), HOUR);
        return SurgeState.newBuilder().setDimension(key).setHourBase(hour).setHourly(new ArrayList<>())
                .setRecent(new ArrayList<>()).setSignals(new ArrayList<>()).setSurgeDecidedAt(null).setSurgeWindowStart(null)
                .setNextDueAt(null).build();
    }

    @Override
    protected void apply(String key, SurgeState state, FeedItem item, long at) {
        TicketFact fact = item.getFact();
        if (fact == null) {
            return;
        }
        if (Dimensions.isSecurity(key)) {
            countMatch(key, state, fact, at);
            return;
        }
        Rules.Surge rule = rules.surge();
        if (!fact.getOpened()) {
            if (fact.getResolved()) {
                // Replaced, not changed: a note is written once and its encoding reused (NoteBytesWriter).
                state.getRecent().replaceAll(n -> n.getTicketKey().equals(fact.getTicketKey())
                        ? TicketNote.newBuilder(n).setWhat(RESOLVED).build() : n);
                prune(state, at, rule);
            }
            return;
        }
        int hours = (int) ((rule.baseline().toMillis() + rule.window().toMillis()) / HOUR) + 1;
        long hour = Math.floorDiv(fact.getAt(), HOUR);
        List<Integer> hourly = state.getHourly();
        if (hourly.isEmpty()) {
            state.setHourBase(hour);
        }
        long offset = hour - state.getHourBase();
        if (offset < 0) {
            if (-offset >= hours) {
                return;
            }
            for (long i = 0; i < -offset; i++) {
                hourly.add(0, 0);
            }
            state.setHourBase(hour);
            offset = 0;
        }
        while (hourly.size() <= offset) {
            hourly.add(0);
        }
        hourly.set((int) offset, hourly.get((int) offset) + 1);
        while (hourly.size() > hours) {
            hourly.remove(0);
            state.setHourBase(state.getHourBase() + 1);
        }
        state.getRecent().add(TicketNote.newBuilder().setTicketKey(fact.getTicketKey()).setAt(fact.getAt())
                .setAccountId(fact.getAccountId()).setCategory(fact.getCategory()).setConfigurationItem(fact.getConfigurationItem())
                .setPriorityLevel(fact.getPriorityLevel()).setWho(null).setWhat(null).build());
        state.getRecent().sort((a, b) -> Long.compare(a.getAt(), b.getAt()));
        prune(state, at, rule);
    }

    /** A ticket's first match on a security key, once per ticket; matches that left the window are dropped. */
    private void countMatch(String key, SurgeState state, TicketFact fact, long at) {
        List<TicketNote> recent = state.getRecent();
        if (recent.stream().noneMatch(n -> n.getTicketKey().equals(fact.getTicketKey()))) {
            String indicator = key.startsWith(Dimensions.SECURITY) ? key.substring(Dimensions.SECURITY.length())
                    : String.join(",", fact.getSecurityIndicators());
            recent.add(TicketNote.newBuilder().setTicketKey(fact.getTicketKey()).setAt(fact.getAt()).setAccountId(fact.getAccountId())
                    .setCategory(null).setConfigurationItem(null).setPriorityLevel(fact.getPriorityLevel()).setWho(null).setWhat(indicator).build());
            recent.sort((a, b) -> Long.compare(a.getAt(), b.getAt()));
        }
        long window = securityBurst.window(key);
        StateLists.removeIf(recent, n -> n.getAt() <= at - window);
        while (recent.size() > MAX_RECENT) {
            recent.remove(0);
        }
    }

    /** Drops tickets that left the window, unless they are still-open tickets of an active surge (for at most the baseline). */
    private void prune(SurgeState state, long at, Rules.Surge rule) {
        boolean active = state.getSignals().stream().anyMatch(b -> b.getActive());
        long window = at - rule.window().toMillis();
        long hold = at - rule.baseline().toMillis();
        StateLists.removeIf(state.getRecent(), n -> n.getAt() <= hold || (n.getAt() <= window && (!active || RESOLVED.equals(n.getWhat()))));
        while (state.getRecent().size() > MAX_RECENT) {
            state.getRecent().remove(0);
        }
    }

    @Override
    protected long evaluate(String dimension, SurgeState state, long at) {
        if (Dimensions.isSecurity(dimension)) {
            return evaluateSecurity(dimension, state, at);
        }
        Rules.Surge rule = rules.surge();
        SurgeView view = new SurgeView(dimension, state, rule);
        List<Verdict> verdicts = new ArrayList<>(1);
        SurgeRule.RULE.evaluate(view, at, verdicts);
        long windowStart = state.getRecent().isEmpty() ? at : state.getRecent().get(0).getAt();
        for (Verdict verdict : verdicts) {
            lifecycle.apply(state.getSignals(), verdict, at).ifPresent(signal -> publish(dimension, state, signal, windowStart, rule));
        }
        return Math.min(lifecycle.nextLifecycleMoment(state.getSignals(), verdicts, at), SurgeRule.RULE.nextChange(view, at));
    }

    private long evaluateSecurity(String key, SurgeState state, long at) {
        SurgeView view = new SurgeView(key, state, rules.surge());
        List<Verdict> verdicts = new ArrayList<>(1);
        securityBurst.evaluate(view, at, verdicts);
        for (Verdict verdict : verdicts) {
            // The security team's alone, like the matches it counts; never an inhibition.
            lifecycle.apply(state.getSignals(), verdict, at).ifPresent(signal ->
                    outputs.security().emit(context, signal.getDedupKey(), signal, signal.getOccurredAt().toEpochMilli()));
        }
        return Math.min(lifecycle.nextLifecycleMoment(state.getSignals(), verdicts, at), securityBurst.nextChange(view, at));
    }

    /**
     * Publishes the transition and the occurrence's notice. An occurrence keeps the window start and decision moment
     * it was raised with, so every version of its notice says the same about when it began.
     */
    private void publish(String dimension, SurgeState state, RiskSignal signal, long windowStart, Rules.Surge rule) {
        long at = signal.getOccurredAt().toEpochMilli();
        outputs.signals().emit(context, signal.getDedupKey(), signal, at);
        long since = signal.getFirstRaisedAt().toEpochMilli();
        if (signal.getState() == SignalState.RAISED || state.getSurgeDecidedAt() == null) {
            state.setSurgeDecidedAt(Math.max(decidingAt(), at));
            state.setSurgeWindowStart(windowStart);
        }
        boolean ended = signal.getState() == SignalState.RESOLVED;
        SurgeNotice notice = SurgeNotice.newBuilder()
                .setDimension(dimension).setDedupKey(signal.getDedupKey()).setSince(since)
                .setUntil(ended ? Long.valueOf(at) : null)
                .setWindowStart(state.getSurgeWindowStart())
                .setDecidedAt(state.getSurgeDecidedAt())
                .setEndDecidedAt(ended ? Long.valueOf(Math.max(decidingAt(), at)) : null)
                .setInhibits(new ArrayList<>(new TreeSet<>(rule.inhibits().stream().map(Enum::name).toList())))
                .build();
        if (ended) {
            state.setSurgeDecidedAt(null);
            state.setSurgeWindowStart(null);
        }
        String key = SurgeInhibition.noticeKey(dimension, since);
        outputs.notices().emit(context, key, notice, at);
    }

    static Subject subject(String dimension) {
        int colon = dimension.indexOf(':');
        String kind = dimension.substring(0, colon);
        SubjectType type = switch (kind) {
            case "category" -> SubjectType.CATEGORY;
            case "ci" -> SubjectType.CONFIGURATION_ITEM;
            case "vendor" -> SubjectType.VENDOR;
            default -> SubjectType.UNKNOWN;
        };
        return Subject.newBuilder().setType(type).setId(dimension.substring(colon + 1)).setName(null).build();
    }

    @Override
    protected Long nextDue(SurgeState state) {
        return state.getNextDueAt();
    }

    @Override
    protected void setNextDue(SurgeState state, Long due) {
        state.setNextDueAt(due);
    }

    @Override
    protected boolean isEmpty(SurgeState state) {
        // The hourly baseline is what makes a surge recognisable: keep it while it holds any counts.
        return state.getRecent().isEmpty() && state.getHourly().stream().allMatch(c -> c == 0)
                && state.getSignals().stream().noneMatch(b -> b.getActive());
    }
}
