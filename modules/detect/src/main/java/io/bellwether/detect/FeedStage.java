package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.time.DeadlineIndex;
import io.bellwether.detect.time.TaskClock;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An aggregate stage (account, team, shared dimension) fed by ticket facts, signal notes and clock ticks over a
 * repartition topic. It keeps one state per key and a deadline index, and decides a due moment only after the
 * grace period has passed in event time, so facts from other ticket partitions still in flight are counted.
 */
public abstract class FeedStage<S> implements Processor<String, FeedItem, String, Out> {
    private static final int MAX_STEPS_PER_ENTITY = 64;
    private static final int MAX_DUE_PER_PASS = 10_000;

    protected final DetectConfig config;
    protected final DetectMetrics metrics;
    private final String stateStore;
    private final String deadlineStore;

    protected ProcessorContext<String, Out> context;
    private KeyValueStore<String, S> states;
    private DeadlineIndex deadlines;
    private TaskClock clock;
    private long grace;

    protected FeedStage(DetectConfig config, DetectMetrics metrics, String stateStore, String deadlineStore) {
        this.config = config;
        this.metrics = metrics;
        this.stateStore = stateStore;
        this.deadlineStore = deadlineStore;
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        this.context = context;
        this.states = context.getStateStore(stateStore);
        this.deadlines = new DeadlineIndex(context.getStateStore(deadlineStore));
        this.grace = config.aggregateGrace().toMillis();
        this.clock = new TaskClock(context, config.timeDriver(), grace);
        if (clock.isWallClockDriven()) {
            context.schedule(config.tick(), PunctuationType.WALL_CLOCK_TIME, wallTime -> fireDue(clock.now()));
        }
        initStage(context);
    }

    /** Opens whatever else the stage reads (global stores). */
    protected void initStage(ProcessorContext<String, Out> context) {
    }

    @Override
    public final void process(Record<String, FeedItem> record) {
        FeedItem item = record.value();
        if (item == null || item.getWatermark() != null) {
            fireDue(clock.now());
            return;
        }
        String key = record.key();
        long at = record.timestamp();
        S state = states.get(key);
        if (state == null) {
            state = newState(key, item);
        } else {
            advance(key, state, at - grace);
        }
        apply(key, state, item, at);
        reschedule(key, state, evaluate(key, state, at), at);
        states.put(key, state);
        fireDue(clock.now());
    }

    private void advance(String key, S state, long upTo) {
        for (int step = 0; step < MAX_STEPS_PER_ENTITY; step++) {
            Long due = nextDue(state);
            if (due == null || due > upTo) {
                return;
            }
            reschedule(key, state, evaluate(key, state, due), due);
        }
    }

    private void fireDue(long now) {
        for (DeadlineIndex.Due due : deadlines.dueUpTo(now, MAX_DUE_PER_PASS)) {
            S state = states.get(due.entity());
            Long expected = state == null ? null : nextDue(state);
            if (expected == null || expected != due.at()) {
                deadlines.reschedule(due.entity(), due.at(), null);
                continue;
            }
            advance(due.entity(), state, now);
            if (isEmpty(state)) {
                deadlines.reschedule(due.entity(), nextDue(state), null);
                states.delete(due.entity());
            } else {
                states.put(due.entity(), state);
            }
        }
    }

    private void reschedule(String key, S state, long next, long at) {
        Long nextDue = next == Long.MAX_VALUE || next <= at ? null : next;
        deadlines.reschedule(key, nextDue(state), nextDue);
        setNextDue(state, nextDue);
    }

    protected abstract S newState(String key, FeedItem first);

    /** Folds one fact or signal note into the state. */
    protected abstract void apply(String key, S state, FeedItem item, long at);

    /** Evaluates the stage's rules at {@code at}, forwards transitions, returns the next due moment (or MAX_VALUE). */
    protected abstract long evaluate(String key, S state, long at);

    protected abstract Long nextDue(S state);

    protected abstract void setNextDue(S state, Long due);

    /** Nothing left worth keeping: the state is dropped once its last deadline has passed. */
    protected abstract boolean isEmpty(S state);
}
