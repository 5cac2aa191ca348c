package io.bellwether.detect.ticket;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.FeedItems;
import io.bellwether.detect.FeedRoute;
import io.bellwether.detect.StageStores;
import io.bellwether.detect.StageTimers;
import io.bellwether.detect.store.EntityStore;
import io.bellwether.detect.lifecycle.Acknowledgements;
import io.bellwether.detect.lifecycle.OwnershipGaps;
import io.bellwether.detect.lifecycle.Silences;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.surge.SurgeInhibition;
import io.bellwether.detect.time.TaskClock;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.events.SubjectType;
import io.bellwether.events.EscalationKind;
import io.bellwether.events.Priority;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.ClockTick;
import io.bellwether.events.TicketEvent;
import org.apache.avro.specific.SpecificRecord;
import io.bellwether.events.TicketKeys;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;


import java.util.ArrayList;
import java.util.List;

/**
 * The ticket stage: keeps each ticket's state, evaluates the per-ticket rules after every event and at every
 * moment a rule said its verdict could change, and publishes the resulting signal transitions. Time-based
 * signals fire from event time (records and watermarks) and, live, from the wall clock, so a threshold passes
 * on a quiet partition too; every transition is stamped with the moment it became true, which makes a replay
 * produce the same signals as live processing.
 */
public final class TicketProcessor implements Processor<String, SpecificRecord, String, FeedItem> {

    private final StageStores stores;
    private final TicketOutputs outputs;
    private final Rules rules;
    private final DetectConfig config;
    private final DetectMetrics metrics;
    private final TicketUpdater updater;
    private final List<TicketRule> ticketRules;
    private final SecurityIndicators securityIndicators;
    private final TicketAlertRule alertRule = new TicketAlertRule();

    private ProcessorContext<String, FeedItem> context;
    private EntityStore<TicketState> tickets;
    private StageTimers<TicketState> timers;
    private TaskClock clock;
    private SignalLifecycle lifecycle;
    private SurgeInhibition inhibition;
    /** The last clock tick this task sent the aggregate stages (live ticks never go back, nor repeat). */
    private long lastTickSent = Long.MIN_VALUE;

    public TicketProcessor(Rules rules, DetectConfig config, DetectMetrics metrics, StageStores stores, TicketOutputs outputs) {
        this.stores = stores;
        this.outputs = outputs;
        this.rules = rules;
        this.config = config;
        this.metrics = metrics;
        this.updater = new TicketUpdater(rules);
        this.ticketRules = List.of(new UnassignedRule(), SlaRule.response(), SlaRule.resolution(), new AgingRule(), new ReopenLoopRule(),
                new PingPongRule(), new SecurityIndicatorRule(rules.security()), new TierRule(rules.tiers()));
        this.securityIndicators = new SecurityIndicators(rules.security());
    }

    @Override
    public void init(ProcessorContext<String, FeedItem> context) {
        this.context = context;
        this.tickets = context.getStateStore(stores.state());
        this.timers = new StageTimers<>(tickets, TicketState::getNextDueAt, TicketState::setNextDueAt);
        this.clock = new TaskClock(context, config);
        this.lifecycle = new SignalLifecycle(rules.lifecycle(), new Silences(context.getStateStore(stores.silences())),
                new Acknowledgements(context.getStateStore(stores.acks())), metrics);
        this.inhibition = new SurgeInhibition(context.getStateStore(stores.surges()), rules.surge());
        if (clock.isWallClockDriven()) {
            context.schedule(config.tick(), PunctuationType.WALL_CLOCK_TIME, wallTime -> timers.unit(stores.state(), metrics, this::onWallClock));
        }
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        // The processing handler may let the stage go on: no ticket changed half-way may be read again.
        timers.unit(stores.state(), metrics, () -> dispatch(record));
    }

    private void dispatch(Record<String, SpecificRecord> record) {
        if (record.value() instanceof TicketEvent event) {
            onEvent(event, record.timestamp());
        } else if (record.value() instanceof ClockTick tick) {
            onTick(tick, record.timestamp());
        } else {
            // A null value means what it means on any Kafka stream: nothing to apply. Skipped, and counted.
            metrics.event("skipped-null");
        }
    }

    /** Time moves to the tick; the tick goes on, tagged with its partition when the replay says how many tick. */
    private void onTick(ClockTick tick, long at) {
        fireDue(clock.now());
        Integer partitions = tick.getPartitions();
        Integer partition = partitions == null ? null : context.recordMetadata().map(m -> m.partition()).orElse(null);
        outputs.feed().emit(context, "", FeedItems.tick(at, partition, partition == null ? null : partitions), at);
        lastTickSent = Math.max(lastTickSent, at);
    }

    /**
     * Live: the wall clock decides what fell due, and the aggregate stages hear how far this partition's clock has come
     * (a grace behind it, and strictly behind anything this task sends after it).
     */
    private void onWallClock() {
        long now = clock.now();
        fireDue(now);
        long tick = now - config.aggregateGrace().toMillis() - 1;
        if (config.ticketPartitions() > 0 && tick > lastTickSent && tick >= 0) {
            outputs.feed().emit(context, "", FeedItems.tick(tick, context.taskId().partition(), config.ticketPartitions()), tick);
            lastTickSent = tick;
        }
    }

    /** A fact or note for the aggregate stages. */
    private void send(String key, FeedItem item, long at) {
        outputs.feed().emit(context, key, item, at);
    }

    private void onEvent(TicketEvent event, long at) {
        TicketEvent bounded = EventBounds.bound(event);
        if (bounded != event) {
            metrics.event("truncated");
            event = bounded;
        }
        String key = TicketKeys.ticketKey(event);
        clock.observe(at);
        TicketState state = tickets.read(key);
        if (state != null) {
            timers.advance(key, state, at, this::evaluate);
        }
        TicketUpdater.Result result = updater.apply(state, key, event, at);
        metrics.event(result.outcome().name().toLowerCase());
        if (result.outcome() == TicketUpdater.Outcome.DUPLICATE) {
            // A duplicate changes nothing, but time still passed: the due moments just evaluated (and published) are kept,
            // or the next event would evaluate and publish them again.
            if (state != null) {
                tickets.write(key, state);
            }
            return;
        }
        state = result.state();
        List<String> matched = securityIndicators.record(event, state, at);
        if (result.fact() != null) {
            TierMoves.track(event, state, result.fact(), rules);
        }
        timers.evaluate(key, state, at, this::evaluate);
        if (result.fact() != null) {
            if (!matched.isEmpty()) {
                result.fact().setSecurityIndicators(matched);
            }
            if (result.fact().getResolved()) {
                result.fact().setResolutionSlaUsed(resolutionSlaUsed(state, at));
            }
            TechnicianWork.mark(event, state, result.fact(), at, rules);
            send(key, FeedItems.fact(result.fact()), at);
        }
        tickets.write(key, state);
        fireDue(clock.now());
    }

    private void fireDue(long now) {
        timers.fireDue(now, this::evaluate, state -> isExpired(state, now), due -> {
            if (clock.isWallClockDriven()) {
                long delay = clock.wallClockMillis() - due;
                if (delay >= 0 && delay < 3_600_000L) {
                    metrics.timeSignalDelay(delay);
                }
            }
        });
    }

    /** The ticket rules, the consolidated alert and the lifecycle at {@code at}; returns the ticket's next due moment. */
    private long evaluate(String key, TicketState state, long at) {
        RuleSet settings = rules.forTicket(state.getAccountId(), state.getCategory());
        TicketView view = new TicketView(state, settings, rules.calendar(settings.calendarFor(Priority.valueOf(state.getPriorityLevel()))));
        List<Verdict> verdicts = new ArrayList<>(12);
        for (TicketRule rule : ticketRules) {
            rule.evaluate(view, at, verdicts);
        }
        List<Verdict> judged = new ArrayList<>(verdicts.size());
        for (Verdict verdict : verdicts) {
            Verdict decided = inhibition.apply(verdict, state, at);
            if (verdict.kind() != SignalKind.SECURITY_INDICATOR) {
                // Evidence of the consolidated alert travels on ticket-alerts; a security match stays on its own topic.
                judged.add(decided);
            }
            lifecycle.apply(state.getSignals(), decided, at).ifPresent(signal -> publish(signal, state));
        }
        String alertKey = Verdict.dedupKey(TicketAlertRule.RULE_ID, view.subject());
        var book = SignalLifecycle.find(state.getSignals(), alertKey);
        Verdict alert = alertRule.evaluate(view, judged, book, at);
        lifecycle.apply(state.getSignals(), alert, at)
                .ifPresent(signal -> outputs.alerts().emit(context, signal.getDedupKey(), signal, at));
        verdicts.add(alert);
        long next = lifecycle.nextLifecycleMoment(state.getSignals(), verdicts, at);
        for (TicketRule rule : ticketRules) {
            next = Math.min(next, rule.nextChange(view, at));
        }
        next = Math.min(next, alertRule.nextChange(view, at));
        if (state.getResolvedAt() != null) {
            // Not a deadline once reached (StageTimers): a ticket past its retention that keeps an active signal would
            // otherwise be evaluated again on every record (it was: 90 % of all evaluations in the ServiceNow backtest).
            next = Math.min(next, state.getResolvedAt() + retention(state));
        }
        return next;
    }

    private void publish(RiskSignal signal, TicketState state) {
        long at = signal.getOccurredAt().toEpochMilli();
        if (signal.getKind() == SignalKind.SECURITY_INDICATOR) {
            // The security team's alone: not on risk-signals, not in the account's score, not an ownership gap.
            outputs.security().emit(context, signal.getDedupKey(), signal, at);
            return;
        }
        outputs.signals().emit(context, signal.getDedupKey(), signal, at);
        if (signal.getAccountId() != null) {
            send(FeedRoute.account(signal.getAccountId()), FeedItems.signal(note(signal)), at);
        }
        if (signal.getState() == SignalState.RAISED) {
            if (state.getFirstSignalAt() == null) {
                state.setFirstSignalAt(at);
                state.setFirstSignalKind(signal.getKind().name());
                state.setFirstSignalDedupKey(signal.getDedupKey());
            }
            if (signal.getKind() == SignalKind.SLA_BREACH) {
                TicketFact breach = updater.escalationFact(state, EscalationKind.SLA_BREACH, at, signal.getSignalId());
                if (breach != null) {
                    send(state.getTicketKey(), FeedItems.fact(breach), at);
                }
            }
        }
        if (OwnershipGaps.typeOf(signal.getKind()) != null) {
            long since = state.getUnassignedSince() != null ? state.getUnassignedSince() : signal.getFirstRaisedAt().toEpochMilli();
            outputs.gaps().emit(context, signal.getDedupKey(), OwnershipGaps.from(signal, state.getAssignee(),
                    state.getTeam(), state.getOwners(), since), at);
        }
    }

    /** What the account stage keeps of a ticket signal's transition: enough to score the account and name its trouble. */
    private static SignalNote note(RiskSignal signal) {
        // One per transition: the constructor, as in FeedItems, not the validating builder.
        return new SignalNote(signal.getDedupKey(), signal.getRuleId(), signal.getKind().name(), signal.getSeverity().name(),
                signal.getState().name(), signal.getSubject().getId(),
                signal.getSubject().getType() == SubjectType.TICKET ? signal.getSubject().getId() : null,
                signal.getOccurredAt().toEpochMilli(), signal.getFirstRaisedAt().toEpochMilli(), signal.getReason());
    }

    /** The share of its resolution SLA a ticket resolved at {@code at} used, for near-misses; null without an SLA. */
    private Double resolutionSlaUsed(TicketState state, long at) {
        RuleSet settings = rules.forTicket(state.getAccountId(), state.getCategory());
        Priority priority = Priority.valueOf(state.getPriorityLevel());
        java.time.Duration target = settings.sla().resolution().get(priority);
        if (!settings.sla().enabled() || target == null || target.isZero()) {
            return null;
        }
        long elapsed = SlaClocks.elapsedAt(state.getResolutionClock(), at, rules.calendar(settings.calendarFor(priority)));
        return elapsed / (double) target.toMillis();
    }

    /** Done for longer than its retention, with nothing left active: forget it. */
    private boolean isExpired(TicketState state, long now) {
        if (state.getResolvedAt() == null || now < state.getResolvedAt() + retention(state)) {
            return false;
        }
        return state.getSignals().stream().noneMatch(book -> book.getActive());
    }

    private long retention(TicketState state) {
        return (Statuses.isFinal(state.getStatusCategory()) ? config.closedRetention() : config.resolvedRetention()).toMillis();
    }
}
