package io.bellwether.detect;

import io.bellwether.detect.store.EntityStore;
import io.bellwether.detect.time.DeadlineIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * How time passes for the entities of one stage, the same for tickets, accounts, teams and shared dimensions. Each
 * entity carries its next due moment (the earliest moment any of its rules said its verdict could change), indexed
 * across the task. An entity is evaluated at each of its due moments in order, never skipping one, so a transition is
 * stamped with the moment it became true however late the evaluation runs; a due moment already reached is no
 * deadline (it would be evaluated again on every record). At most {@value #MAX_STEPS_PER_ENTITY} moments of one
 * entity and {@value #MAX_DUE_PER_PASS} entities are taken in one pass, so no entity or backlog starves the task.
 *
 * @param <S> the entity's state
 */
public final class StageTimers<S> {
    private static final Logger LOG = LoggerFactory.getLogger(StageTimers.class);
    static final int MAX_STEPS_PER_ENTITY = 64;
    static final int MAX_DUE_PER_PASS = 10_000;

    /** A stage's rules for one entity: evaluates them at a moment and says when to look again. */
    @FunctionalInterface
    public interface Rules<S> {
        /** Evaluates the entity at {@code at}, publishes its transitions; returns its next due moment, or Long.MAX_VALUE. */
        long evaluate(String key, S state, long at);
    }

    private final EntityStore<S> states;
    private final Function<S, Long> dueOf;
    private final BiConsumer<S, Long> setDue;
    private final DeadlineIndex deadlines;

    public StageTimers(EntityStore<S> states, Function<S, Long> dueOf, BiConsumer<S, Long> setDue) {
        this.states = states;
        this.dueOf = dueOf;
        this.setDue = setDue;
        this.deadlines = new DeadlineIndex();
        states.forEachEntity((key, state) -> deadlines.reschedule(key, null, dueOf.apply(state)));
    }

    /**
     * Runs one unit of the stage's work (a record, a punctuation). Should it fail, every entity it touched goes back to
     * its committed version before the failure goes on to the processing handler (which may let the stage continue): no
     * object changed half-way is read again. Reverts are counted per stage and logged.
     */
    public void unit(String stage, DetectMetrics metrics, Runnable work) {
        states.beginUnit();
        try {
            work.run();
        } catch (RuntimeException e) {
            List<String> reverted = states.revertTouched();
            for (String key : reverted) {
                // The index may name a due moment the committed version no longer has, or miss the one it has.
                S committed = states.read(key);
                deadlines.forget(key);
                if (committed != null) {
                    deadlines.reschedule(key, null, dueOf.apply(committed));
                }
            }
            if (!reverted.isEmpty()) {
                metrics.counter("bellwether.detect.state_reverts", "stage", stage).inc(reverted.size());
                LOG.warn("{}: a record failed half-way; {} entities go back to their last committed state: {}", stage, reverted.size(),
                        reverted.size() > 10 ? reverted.subList(0, 10) + " ..." : reverted);
            }
            throw e;
        }
    }

    /** Evaluates the entity at {@code at} and schedules its next due moment. */
    public void evaluate(String key, S state, long at, Rules<S> rules) {
        long next = rules.evaluate(key, state, at);
        Long nextDue = next == Long.MAX_VALUE || next <= at ? null : next;
        deadlines.reschedule(key, dueOf.apply(state), nextDue);
        setDue.accept(state, nextDue);
    }

    /**
     * Brings the entity's next due moment forward to {@code next} if that is sooner: after an item was folded into the
     * state without a decision, for a rule that will need to look at it then.
     */
    public void earlier(String key, S state, long at, long next) {
        Long current = dueOf.apply(state);
        if (next == Long.MAX_VALUE || next <= at || current != null && current <= next) {
            return;
        }
        deadlines.reschedule(key, current, next);
        setDue.accept(state, next);
    }

    /** Evaluates every due moment of the entity up to {@code upTo}, in order. */
    public void advance(String key, S state, long upTo, Rules<S> rules) {
        for (int step = 0; step < MAX_STEPS_PER_ENTITY; step++) {
            Long due = dueOf.apply(state);
            if (due == null || due > upTo) {
                return;
            }
            evaluate(key, state, due, rules);
        }
    }

    /**
     * Every entity due by {@code now}, earliest first: advanced to now, then dropped when {@code done} says nothing is
     * left worth keeping, else written back. {@code onDue} hears each due moment taken (for the delay metric).
     */
    public void fireDue(long now, Rules<S> rules, Predicate<S> done, LongConsumer onDue) {
        for (DeadlineIndex.Due due : deadlines.dueUpTo(now, MAX_DUE_PER_PASS)) {
            S state = states.read(due.entity());
            Long expected = state == null ? null : dueOf.apply(state);
            if (expected == null || expected != due.at()) {
                deadlines.reschedule(due.entity(), due.at(), null);
                continue;
            }
            onDue.accept(due.at());
            advance(due.entity(), state, now, rules);
            if (done.test(state)) {
                deadlines.reschedule(due.entity(), dueOf.apply(state), null);
                states.remove(due.entity());
            } else {
                states.write(due.entity(), state);
            }
        }
    }

    /** How many entities wait for a due moment (a gauge of the task's timers). */
    public int scheduled() {
        return deadlines.size();
    }
}
