package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.time.TaskClock;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An aggregate stage (account, team, shared dimension) fed by ticket facts, signal notes and clock ticks over a
 * repartition topic. It keeps one state per key and a deadline index.
 *
 * <p>Facts reach a stage from every ticket partition, interleaved by how fast each was processed, not by when
 * things happened. Live, the stage decides a due moment only once a grace period has passed, which absorbs the
 * small skew of real-time traffic. In replays, ticks say which partition they passed through: the stage holds
 * every fact until the slowest partition's clock has passed it, then applies the held facts in a fixed order
 * (time, entity, content), so a replay gives the same signals however fast it runs.
 *
 * <p>A stage's outputs all go to sinks it names ({@link Outlet}); it forwards nothing to unnamed children.
 */
public abstract class FeedStage<S> implements Processor<String, FeedItem, Void, Void> {
    private static final String PARTITIONS = "partitions";

    protected final DetectConfig config;
    protected final DetectMetrics metrics;
    private final String stateStore;
    private final String pendingStore;
    private final String clockStore;

    protected ProcessorContext<Void, Void> context;
    private StateCache<S> states;
    private StageTimers<S> timers;
    private KeyValueStore<String, FeedItem> pending;
    private KeyValueStore<String, Long> ticks;
    private TaskClock clock;
    private boolean alignable;
    /** Everything held up to this moment has been released; scans start here (null after a restart: from the start). */
    private Long releasedUpTo;
    /** The stage's clock for the decisions being made now: the aligned moment, or live the task's clock. */
    private long decidingAt;

    protected FeedStage(DetectConfig config, DetectMetrics metrics, String stateStore, String pendingStore, String clockStore) {
        this.config = config;
        this.metrics = metrics;
        this.stateStore = stateStore;
        this.pendingStore = pendingStore;
        this.clockStore = clockStore;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.states = new StateCache<>(context.getStateStore(stateStore));
        this.timers = new StageTimers<>(states, this::nextDue, this::setNextDue);
        this.pending = context.getStateStore(pendingStore);
        this.ticks = context.getStateStore(clockStore);
        this.alignable = config.timeDriver() == DetectConfig.TimeDriver.EVENT_TIME;
        this.clock = new TaskClock(context, config.timeDriver(), config.aggregateGrace().toMillis());
        if (clock.isWallClockDriven()) {
            context.schedule(config.tick(), PunctuationType.WALL_CLOCK_TIME, wallTime -> states.guard(() -> fireDue(clock.now())));
        }
        initStage(context);
    }

    /** The task's clock (event time; live, also the wall clock). */
    protected final TaskClock clock() {
        return clock;
    }

    /**
     * The stage's clock for what it is deciding now: in replays the moment every upstream partition has passed (the
     * same on every run, however fast), live the task's clock. A decision made at this moment is known to the rest of
     * the pipeline only after it.
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
        states.guard(() -> processItem(record));
    }

    private void processItem(Record<String, FeedItem> record) {
        FeedItem item = record.value();
        if (item == null) {
            return;
        }
        if (item.getWatermark() != null) {
            onTick(item);
            return;
        }
        // Event time is the item's own: record timestamps on Bellwether's topics are arrival times.
        long at = itemTime(item);
        Long aligned = alignedUpTo();
        if (aligned != null && at > aligned) {
            pending.put(pendingKey(record.key(), item, at), item);
            return;
        }
        decidingAt = aligned != null ? aligned : clock.now();
        apply(record.key(), item, at, aligned == null ? config.aggregateGrace().toMillis() : 0);
        fireDue(aligned != null ? aligned : clock.now());
    }

    private void onTick(FeedItem tick) {
        if (!alignable || tick.getWatermarkPartition() == null) {
            fireDue(clock.now());
            return;
        }
        String slot = "wm/" + tick.getWatermarkPartition();
        Long previous = ticks.get(slot);
        ticks.put(slot, previous == null ? tick.getWatermark() : Math.max(previous, tick.getWatermark()));
        ticks.put(PARTITIONS, (long) tick.getWatermarkPartitions());
        Long aligned = alignedUpTo();
        if (aligned == null || aligned == Long.MIN_VALUE) {
            // Some partition has not ticked yet: nothing is safe to release (and MIN_VALUE is no key bound).
            return;
        }
        decidingAt = aligned;
        release(aligned);
        fireDue(aligned);
    }

    /** The moment every upstream partition's clock has passed, or null while alignment is off or incomplete. */
    private Long alignedUpTo() {
        if (!alignable) {
            return null;
        }
        Long partitions = ticks.get(PARTITIONS);
        if (partitions == null) {
            return null;
        }
        long min = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            Long at = ticks.get("wm/" + p);
            if (at == null) {
                return Long.MIN_VALUE;
            }
            min = Math.min(min, at);
        }
        return min;
    }

    /**
     * Applies every held fact up to {@code upTo}, in (time, entity, content) order. Entities are independent, so each
     * entity's held facts are applied in one go: its state is read and written once per release, not once per fact.
     */
    private void release(long upTo) {
        Map<String, List<KeyValue<Long, FeedItem>>> byEntity = new LinkedHashMap<>();
        List<String> released = new ArrayList<>();
        long from = releasedUpTo == null ? 0L : releasedUpTo;
        try (KeyValueIterator<String, FeedItem> it = pending.range(hex16(Math.max(0, from)) + "|", hex16(upTo) + "|\uffff")) {
            while (it.hasNext()) {
                KeyValue<String, FeedItem> held = it.next();
                released.add(held.key);
                String rest = held.key.substring(17);
                String entity = rest.substring(0, rest.indexOf('\u0000'));
                byEntity.computeIfAbsent(entity, e -> new ArrayList<>())
                        .add(KeyValue.pair(Long.parseLong(held.key.substring(0, 16), 16), held.value));
            }
        }
        released.forEach(pending::delete);
        byEntity.forEach((entity, items) -> {
            S state = states.get(entity);
            for (KeyValue<Long, FeedItem> item : items) {
                state = applyTo(entity, state, item.value, item.key, 0);
            }
            states.put(entity, state);
        });
        // Held items are always later than the aligned moment when they arrive, so nothing older can appear again.
        releasedUpTo = upTo;
    }

    private void apply(String key, FeedItem item, long at, long grace) {
        states.put(key, applyTo(key, states.get(key), item, at, grace));
    }

    private S applyTo(String key, S state, FeedItem item, long at, long grace) {
        if (state == null) {
            state = newState(key, item);
        } else {
            timers.advance(key, state, at - grace, this::evaluate);
        }
        apply(key, state, item, at);
        timers.evaluate(key, state, at, this::evaluate);
        return state;
    }

    /** When a fact, signal note or owner note happened. */
    static long itemTime(FeedItem item) {
        return item.getFact() != null ? item.getFact().getAt() : item.getOwner() != null ? item.getOwner().getAt() : item.getSignal().getAt();
    }

    /** Held items sort by time, then entity, then what they are: the same order on every run. */
    private static String pendingKey(String entity, FeedItem item, long at) {
        String content = item.getFact() != null ? "f" + item.getFact().getEventId()
                : item.getOwner() != null ? "o" + item.getOwner().getOwnerId()
                : "s" + item.getSignal().getDedupKey() + "|" + item.getSignal().getState() + "|" + item.getSignal().getAt();
        return hex16(Math.max(0, at)) + "|" + entity + '\u0000' + content;
    }

    private static final String ZEROS = "0000000000000000";

    /** {@code String.format("%016x", at)} without the formatter: held keys are built for every fact held. */
    static String hex16(long at) {
        String hex = Long.toHexString(at);
        return hex.length() >= 16 ? hex : ZEROS.substring(hex.length()) + hex;
    }

    private void fireDue(long now) {
        decidingAt = Math.max(decidingAt, now);
        timers.fireDue(now, this::evaluate, this::isEmpty, due -> { });
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
