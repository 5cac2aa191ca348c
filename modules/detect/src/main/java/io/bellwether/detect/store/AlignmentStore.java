package io.bellwether.detect.store;

import io.bellwether.detect.state.AlignmentRecord;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.HeldEntry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the aggregate alignment must not forget: the items it holds, in release order, and how far each ticket
 * partition's clock has come. All of it is worked on in memory; a commit writes the clocks when they moved and, as one
 * record, the items it finds held that no earlier commit wrote. Most items are released within the commit interval
 * they came in and are never written; a written batch is deleted at the first commit after its last item's release.
 * So a catching-up task that holds a great many items costs a record per commit, not two per item, and a restart
 * holds exactly what the last commit held. Kafka Streams flushes this store before it commits, as it does its own
 * record caches.
 *
 * <p>Other readers (the specifications) see the items held now, by key.
 */
public final class AlignmentStore extends HeapFrontedStore<FeedItem, AlignmentRecord> implements ReadOnlyKeyValueStore<String, FeedItem> {
    static final String CLOCKS = "clocks";
    static final String BATCH = "held/";
    /** Upper bound of one written batch's encoded size: a fifth of Kafka's default record limit. */
    static final long MAX_BATCH_BYTES = 200_000;

    private final NavigableMap<String, FeedItem> held = new TreeMap<>();
    private final Map<Integer, Long> clocks = new HashMap<>();
    private Integer partitions;
    private boolean clocksChanged;
    /** Held items no commit has written yet, in the order held. */
    private final List<String> unwritten = new ArrayList<>();
    /** The written batch of each held item that was written, and how many of each batch's items are still held. */
    private final Map<String, Long> batchOf = new HashMap<>();
    private final Map<Long, Integer> stillHeld = new HashMap<>();
    private long nextBatch;
    private boolean loaded;

    private AlignmentStore(String name, KeyValueStore<String, AlignmentRecord> committed) {
        super(name, committed);
        this.loaded = committed == null;
    }

    public static AlignmentStore over(KeyValueStore<String, AlignmentRecord> committed) {
        return new AlignmentStore(committed.name(), committed);
    }

    public static AlignmentStore heapOnly(String name) {
        return new AlignmentStore(name, null);
    }

    /** The latest clock tick of a ticket partition, or null when it has not ticked. */
    public Long clock(int partition) {
        load();
        return clocks.get(partition);
    }

    public void setClock(int partition, long at) {
        load();
        clocks.put(partition, at);
        clocksChanged = true;
    }

    /** How many ticket partitions tick, as their ticks said; null when none said. */
    public Integer partitions() {
        load();
        return partitions;
    }

    public void setPartitions(int count) {
        load();
        if (partitions == null || partitions != count) {
            partitions = count;
            clocksChanged = true;
        }
    }

    /** Holds {@code item} under {@code key}. */
    public void hold(String key, FeedItem item) {
        load();
        if (held.put(key, item) == null) {
            unwritten.add(key);
        }
    }

    /** Takes every held item with a key from {@code from} to {@code to} (both inclusive) out, in key order. */
    public List<KeyValue<String, FeedItem>> release(String from, String to) {
        load();
        List<KeyValue<String, FeedItem>> released = new ArrayList<>();
        Iterator<Map.Entry<String, FeedItem>> it = held.subMap(from, true, to, true).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, FeedItem> entry = it.next();
            released.add(KeyValue.pair(entry.getKey(), entry.getValue()));
            it.remove();
            Long batch = batchOf.remove(entry.getKey());
            if (batch != null) {
                stillHeld.merge(batch, -1, Integer::sum);
            }
        }
        return released;
    }

    /** How many items are held. */
    public int size() {
        load();
        return held.size();
    }

    /** Restored records are read at first use: Kafka Streams restores a store after opening it. */
    private void load() {
        if (loaded) {
            return;
        }
        try (KeyValueIterator<String, AlignmentRecord> all = committed.all()) {
            while (all.hasNext()) {
                KeyValue<String, AlignmentRecord> entry = all.next();
                if (entry.key.equals(CLOCKS)) {
                    entry.value.getClocks().forEach((partition, at) -> clocks.put(Integer.valueOf(partition), at));
                    partitions = entry.value.getPartitions();
                } else if (entry.key.startsWith(BATCH)) {
                    long batch = Long.parseLong(entry.key.substring(BATCH.length()), 16);
                    nextBatch = Math.max(nextBatch, batch + 1);
                    int count = 0;
                    for (HeldEntry e : entry.value.getHeld()) {
                        held.put(e.getKey(), e.getItem());
                        batchOf.put(e.getKey(), batch);
                        count++;
                    }
                    stillHeld.put(batch, count);
                }
            }
        }
        loaded = true;
    }

    /** Commits what moved since the last commit, at each commit ({@link #flushCache}). */
    @Override
    protected void writeBack() {
        if (committed == null || !loaded) {
            return;
        }
        if (clocksChanged) {
            Map<String, Long> byName = new HashMap<>();
            clocks.forEach((partition, at) -> byName.put(String.valueOf(partition), at));
            committed.put(CLOCKS, new AlignmentRecord(byName, partitions, List.of()));
            clocksChanged = false;
        }
        List<HeldEntry> batch = new ArrayList<>();
        long bytes = 0;
        for (String key : unwritten) {
            FeedItem item = held.get(key);
            if (item == null) {
                continue;
            }
            // A batch stays well under the broker's record limit, however many items a commit finds held.
            long size = key.length() + FeedItemSize.upperBound(item);
            if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                writeBatch(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(new HeldEntry(key, item));
            batchOf.put(key, nextBatch);
            bytes += size;
        }
        unwritten.clear();
        if (!batch.isEmpty()) {
            writeBatch(batch);
        }
        Iterator<Map.Entry<Long, Integer>> batches = stillHeld.entrySet().iterator();
        while (batches.hasNext()) {
            Map.Entry<Long, Integer> written = batches.next();
            if (written.getValue() <= 0) {
                committed.delete(batchKey(written.getKey()));
                batches.remove();
            }
        }
    }

    private void writeBatch(List<HeldEntry> batch) {
        committed.put(batchKey(nextBatch), new AlignmentRecord(Map.of(), null, batch));
        stillHeld.put(nextBatch, batch.size());
        nextBatch++;
    }

    private static String batchKey(long batch) {
        String hex = Long.toHexString(batch);
        return BATCH + "0000000000000000".substring(hex.length()) + hex;
    }

    /** The committed view may have been written to directly (a task recycled from standby): read it again at first use. */
    @Override
    public void clearCache() {
        held.clear();
        clocks.clear();
        partitions = null;
        clocksChanged = false;
        unwritten.clear();
        batchOf.clear();
        stillHeld.clear();
        nextBatch = 0;
        loaded = committed == null;
    }

    @Override
    protected void closeHeap() {
        clearCache();
    }

    @Override
    public FeedItem get(String key) {
        load();
        return held.get(key);
    }

    @Override
    public KeyValueIterator<String, FeedItem> range(String from, String to) {
        load();
        return StoreIterators.over(new ArrayList<>(held.subMap(from, true, to, true).entrySet()));
    }

    @Override
    public KeyValueIterator<String, FeedItem> all() {
        load();
        return StoreIterators.over(new ArrayList<>(held.entrySet()));
    }

    @Override
    public long approximateNumEntries() {
        return held.size();
    }
}
