package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.store.AlignmentStore;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;
import java.util.Map;

/**
 * The one clock of the account, technician and surge stages. Their feed reaches them from every ticket partition,
 * interleaved by how fast each partition was processed, not by when things happened; decided on arrival, the same
 * history would give different signals on every run. So every item waits here until every ticket partition's clock
 * (its clock ticks) has passed the item's moment, and is then handed to its stage in a fixed order: its moment, its
 * stage and entity, its content. After each batch every stage hears that time moved
 * to the aligned moment, and decides its due moments up to it. The result depends on event time and ticks only: the
 * same on every run, however fast, on one instance or several.
 *
 * <p>Ticks come from replays (a {@code ClockTick} written to every partition) and, live, from each ticket task every
 * {@code time.tick}, a grace behind its clock. Without any tick that says how many partitions there are (a replay
 * without ticks, the specifications' single partition) items go on at once, decided on the task's own clock.
 *
 * <p>Held items are kept in memory and committed with the task ({@link AlignmentStore}), so a restart loses none.
 */
final class FeedAlignment implements Processor<String, FeedItem, String, FeedItem> {
    private static final String ZEROS = "0000000000000000";

    private final DetectConfig config;
    private final DetectMetrics metrics;
    private final String heldStore;
    /**
     * The stage (child processor) of each entity tag, in tag order: ticks reach the stages in this order, and so their
     * outputs on a shared topic interleave the same way in every run (a Map.copyOf iterates in an order salted per JVM).
     */
    private final java.util.SortedMap<Character, String> stages;

    private ProcessorContext<String, FeedItem> context;
    private AlignmentStore held;
    /** Everything held up to this moment has been released; scans start here (null after a restart: from the start). */
    private Long releasedUpTo;

    FeedAlignment(DetectConfig config, DetectMetrics metrics, String heldStore, Map<Character, String> stages) {
        this.config = config;
        this.metrics = metrics;
        this.heldStore = heldStore;
        this.stages = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(stages));
    }

    /** The stages in the order ticks reach them. */
    java.util.List<String> tickOrder() {
        return java.util.List.copyOf(stages.values());
    }

    @Override
    public void init(ProcessorContext<String, FeedItem> context) {
        this.context = context;
        this.held = context.getStateStore(heldStore);
    }

    @Override
    public void process(Record<String, FeedItem> record) {
        FeedItem item = record.value();
        if (item == null) {
            metrics.event("skipped-null");
            return;
        }
        if (item.getWatermark() != null) {
            onTick(item);
            return;
        }
        long at = FeedStage.itemTime(item);
        Long aligned = alignedUpTo();
        if (aligned == null) {
            // Nobody said how many partitions tick: decide at once, on this task's clock.
            long now = context.currentStreamTimeMs() - config.aggregateGrace().toMillis();
            forward(record.key(), item, now);
            forwardTick(stageOf(record.key()), now);
        } else if (aligned == Long.MIN_VALUE || at > aligned) {
            held.hold(pendingKey(record.key(), item, at), item);
        } else {
            // Older than the moment every partition has passed: an event its partition received late (live, or a replay
            // out of time order). It is decided at once; only its place among the other partitions' items can vary.
            forward(record.key(), item, aligned);
            forwardTick(stageOf(record.key()), aligned);
        }
    }

    private void onTick(FeedItem tick) {
        if (tick.getWatermarkPartition() == null) {
            // A tick without alignment: time moved on for this task.
            long now = context.currentStreamTimeMs() - config.aggregateGrace().toMillis();
            stages.values().forEach(stage -> forwardTick(stage, now));
            return;
        }
        Long previous = held.clock(tick.getWatermarkPartition());
        if (previous == null || tick.getWatermark() > previous) {
            held.setClock(tick.getWatermarkPartition(), tick.getWatermark());
        }
        if (config.ticketPartitions() == 0 && tick.getWatermarkPartitions() != null) {
            held.setPartitions(tick.getWatermarkPartitions());
        }
        Long aligned = alignedUpTo();
        if (aligned == null || aligned == Long.MIN_VALUE || (releasedUpTo != null && aligned <= releasedUpTo)) {
            return;
        }
        release(aligned);
        for (String stage : stages.values()) {
            forwardTick(stage, aligned);
        }
    }

    /** The moment every ticket partition's clock has passed; MIN_VALUE while one has not ticked; null while nobody said how many tick. */
    private Long alignedUpTo() {
        Integer partitions = config.ticketPartitions() > 0 ? Integer.valueOf(config.ticketPartitions()) : held.partitions();
        if (partitions == null) {
            return null;
        }
        long min = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            Long at = held.clock(p);
            if (at == null) {
                return Long.MIN_VALUE;
            }
            min = Math.min(min, at);
        }
        return min;
    }

    /** Hands every held item sent up to {@code upTo} to its stage, in key order (sent, time, stage and entity, content). */
    private void release(long upTo) {
        long from = releasedUpTo == null ? 0L : releasedUpTo;
        List<KeyValue<String, FeedItem>> released = held.release(hex16(Math.max(0, from)), hex16(upTo) + "\uffff");
        for (KeyValue<String, FeedItem> item : released) {
            String entity = item.key.substring(17, item.key.indexOf('\u0000', 17));
            forward(entity, item.value, upTo);
        }
        // Items are held only while later than the aligned moment, so nothing older can arrive after it.
        releasedUpTo = upTo;
    }

    private void forward(String taggedEntity, FeedItem item, long decidingAt) {
        context.forward(new Record<>(taggedEntity.substring(1), item, decidingAt), stageOf(taggedEntity));
    }

    private void forwardTick(String stage, long at) {
        context.forward(new Record<>(FeedPartitioner.BROADCAST_KEY, FeedItems.tick(at, null, null), at), stage);
    }

    private String stageOf(String taggedEntity) {
        String stage = stages.get(taggedEntity.charAt(0));
        if (stage == null) {
            throw new IllegalArgumentException("no aggregate stage for feed key '" + taggedEntity + "'");
        }
        return stage;
    }

    /**
     * {@code <time>|<tagged entity>\0<content>}: held items sort the same way on every run, however many partitions sent
     * them, so a backtest on one partition and a service on several decide in the same order.
     */
    static String pendingKey(String taggedEntity, FeedItem item, long at) {
        String content = item.getFact() != null ? "f" + item.getFact().getEventId()
                : item.getOwner() != null ? "o" + item.getOwner().getOwnerId()
                : "s" + item.getSignal().getDedupKey() + "|" + item.getSignal().getState() + "|" + item.getSignal().getAt();
        return hex16(Math.max(0, at)) + "|" + taggedEntity + '\u0000' + content;
    }

    /** {@code String.format("%016x", at)} without the formatter: a key is built for every item held. */
    static String hex16(long at) {
        String hex = Long.toHexString(at);
        return hex.length() >= 16 ? hex : ZEROS.substring(hex.length()) + hex;
    }
}
