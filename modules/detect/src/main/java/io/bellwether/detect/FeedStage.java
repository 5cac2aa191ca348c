package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.store.EntityStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * An aggregate stage (account, team, shared dimension): one state per entity, fed by {@link FeedAlignment} with ticket
 * facts, signal notes and owner notes in a fixed order, each stamped with the moment it is decided at, and told by
 * clock ticks when time moved on. An item is applied at its own time (the entity's due moments before it are decided
 * first); a tick decides every entity's due moments up to it.
 *
 * <p>A stage's outputs all go to sinks it names ({@link Outlet}); it forwards nothing to unnamed children.
 */
public abstract class FeedStage<S> implements Processor<String, FeedItem, Void, Void> {
    protected final DetectConfig config;
    protected final DetectMetrics metrics;
    private final String stateStore;

    protected ProcessorContext<Void, Void> context;
    private EntityStore<S> states;
    private StageTimers<S> timers;
    /** The moment the stage is deciding at: the aligned moment of the item or tick being processed. */
    private long decidingAt;

    protected FeedStage(DetectConfig config, DetectMetrics metrics, String stateStore) {
        this.config = config;
        this.metrics = metrics;
        this.stateStore = stateStore;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.states = context.getStateStore(stateStore);
        this.timers = new StageTimers<>(states, this::nextDue, this::setNextDue);
        initStage(context);
    }

    /**
     * The moment every upstream partition had passed when what is being decided now was released (live without
     * alignment, the task's clock). A decision made at this moment is known to the rest of the pipeline only after it.
     */
    protected final long decidingAt() {
        return decidingAt;
    }

    /** Opens whatever else the stage reads (global stores). */
    protected void initStage(ProcessorContext<Void, Void> context) {
    }

    @Override
    public final void process(Record<String, FeedItem> record) {
        // The processing handler may let the stage go on: no state changed half-way may be read again.
        timers.unit(stateStore, metrics, () -> processItem(record));
    }

    private void processItem(Record<String, FeedItem> record) {
        FeedItem item = record.value();
        decidingAt = Math.max(decidingAt, record.timestamp());
        if (item.getWatermark() != null) {
            timers.fireDue(item.getWatermark(), this::evaluate, this::isEmpty, due -> { });
            return;
        }
        String key = record.key();
        long at = itemTime(item);
        S state = states.read(key);
        if (state == null) {
            state = newState(key, item);
        } else {
            timers.advance(key, state, at, this::evaluate);
        }
        apply(key, state, item, at);
        if (decides(item)) {
            timers.evaluate(key, state, at, this::evaluate);
        } else {
            timers.earlier(key, state, at, foldedNextChange(key, state, at));
        }
        states.write(key, state);
    }

    /**
     * Whether the stage's rules are judged at this item's moment. An item only counted for later (a tally a rule reads
     * when a period ends) is folded in without a decision, so the other rules are judged at exactly the moments they
     * were before it existed; {@link #foldedNextChange} says when it will matter.
     */
    protected boolean decides(FeedItem item) {
        return true;
    }

    /** After an item folded in without a decision: the next moment a rule must look at the entity (MAX_VALUE: none). */
    protected long foldedNextChange(String key, S state, long at) {
        return Long.MAX_VALUE;
    }

    /** When a fact, signal note or owner note happened. */
    static long itemTime(FeedItem item) {
        return item.getFact() != null ? item.getFact().getAt() : item.getOwner() != null ? item.getOwner().getAt() : item.getSignal().getAt();
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
