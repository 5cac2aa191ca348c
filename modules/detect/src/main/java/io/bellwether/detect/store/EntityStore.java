package io.bellwether.detect.store;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * One stage's entity states (tickets, accounts, teams, dimensions), held as objects while the stage works on them and
 * written to the store once per commit. A busy account's state is changed by every one of its facts; encoding it
 * whole on each change was the largest single cost of the engine, and the changelog only ever needed the last version
 * of each commit interval.
 *
 * <p>What other readers see is the <em>committed</em> view: interactive queries, standbys and restarts read the inner
 * store, which holds every entity as of the last commit (Kafka Streams flushes this store before it commits offsets and
 * the transaction, through the same hook it uses for its own record caches). The stage reads and writes objects with
 * {@link #read}, {@link #write} and {@link #remove}.
 *
 * <p>Failure: should a record or punctuation fail half-way (the processing handler dead-letters it and lets the stage
 * go on), every entity that unit of work touched returns to its committed version ({@link #revertTouched}); an object
 * changed half-way is never read again. Those entities' changes from earlier records of the same commit interval (at
 * most {@code commit.interval.ms} of them) go with it; the stage counts and logs each revert.
 *
 * <p>Heap only: a one-shot run that never restores (the in-process backtest) keeps the objects and nothing else; no
 * entity is ever encoded, and a failed unit's objects stay as it left them (there is nothing committed to go back to).
 *
 * @param <S> the entity state
 */
public final class EntityStore<S> extends HeapFrontedStore<S, S> implements ReadOnlyKeyValueStore<String, S> {
    /** Committed objects kept for reading without decoding, beyond those changed since the last commit. */
    static final int CLEAN_OBJECTS = 8192;

    /** Heap only: every entity, in key order, as a store would list them. */
    private final NavigableMap<String, S> heap;
    /** Changed since the last commit, in the order first changed (the changelog gets them in that order): null = removed. */
    private final Map<String, S> dirty = new LinkedHashMap<>();
    private final Map<String, S> clean = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
            return size() > CLEAN_OBJECTS;
        }
    };
    /** Entities read or written by the unit of work under way. */
    private final Set<String> touched = new HashSet<>();

    private EntityStore(String name, KeyValueStore<String, S> committed) {
        super(name, committed);
        this.heap = committed == null ? new TreeMap<>() : null;
    }

    /** A store whose committed view is {@code committed} (RocksDB and a changelog, in the service). */
    public static <S> EntityStore<S> over(KeyValueStore<String, S> committed) {
        return new EntityStore<>(committed.name(), committed);
    }

    /** A store of objects only, for a run that never restores. */
    public static <S> EntityStore<S> heapOnly(String name) {
        return new EntityStore<>(name, null);
    }

    // ---- the stage's side: objects ----

    /** The entity's state, or null; the object the stage wrote last, if any. */
    public S read(String key) {
        touched.add(key);
        if (heap != null) {
            return heap.get(key);
        }
        if (dirty.containsKey(key)) {
            return dirty.get(key);
        }
        S cached = clean.get(key);
        if (cached != null) {
            return cached;
        }
        S stored = committed.get(key);
        if (stored != null) {
            clean.put(key, stored);
        }
        return stored;
    }

    /** The entity's new state; written to the committed view at the next commit. */
    public void write(String key, S state) {
        touched.add(key);
        if (heap != null) {
            heap.put(key, state);
            return;
        }
        clean.remove(key);
        dirty.put(key, state);
    }

    /** Forgets the entity; removed from the committed view at the next commit. */
    public void remove(String key) {
        touched.add(key);
        if (heap != null) {
            heap.remove(key);
            return;
        }
        clean.remove(key);
        dirty.put(key, null);
    }

    /** Every entity the stage holds now, changes not yet committed included: for rebuilding indexes when a task starts. */
    public void forEachEntity(java.util.function.BiConsumer<String, S> action) {
        if (heap != null) {
            heap.forEach(action);
            return;
        }
        Set<String> seen = new HashSet<>();
        dirty.forEach((key, state) -> {
            seen.add(key);
            if (state != null) {
                action.accept(key, state);
            }
        });
        try (KeyValueIterator<String, S> all = committed.all()) {
            while (all.hasNext()) {
                KeyValue<String, S> entry = all.next();
                if (!seen.contains(entry.key) && entry.value != null) {
                    action.accept(entry.key, entry.value);
                }
            }
        }
    }

    /** Starts a unit of work (a record, a punctuation): nothing is touched yet. */
    public void beginUnit() {
        touched.clear();
    }

    /**
     * The unit of work failed: every entity it touched goes back to its committed version, and is returned (sorted).
     * Their changes from earlier units since the last commit go with it. Heap only there is no committed version to go
     * back to: the objects stay as the failed unit left them, and nothing is returned.
     */
    public List<String> revertTouched() {
        if (heap != null) {
            touched.clear();
            return List.of();
        }
        List<String> reverted = new ArrayList<>(touched);
        reverted.sort(null);
        for (String key : reverted) {
            dirty.remove(key);
            clean.remove(key);
        }
        touched.clear();
        return reverted;
    }

    /** Entities changed since the last commit (heap only: 0, nothing is ever written). */
    public int uncommitted() {
        return dirty.size();
    }

    // ---- Kafka Streams' side: the committed view ----

    /** Writes every change since the last commit to the committed view, at each commit ({@link #flushCache}). */
    @Override
    protected void writeBack() {
        if (heap != null || dirty.isEmpty()) {
            return;
        }
        for (Map.Entry<String, S> change : dirty.entrySet()) {
            if (change.getValue() == null) {
                committed.delete(change.getKey());
            } else {
                committed.put(change.getKey(), change.getValue());
                clean.put(change.getKey(), change.getValue());
            }
        }
        dirty.clear();
    }

    /** The committed view may have been written to directly (a task recycled from standby): forget every object. */
    @Override
    public void clearCache() {
        dirty.clear();
        clean.clear();
        touched.clear();
    }

    @Override
    protected void closeHeap() {
        dirty.clear();
        clean.clear();
        if (heap != null) {
            heap.clear();
        }
    }

    /** Interactive queries reach the committed view's own query support. */
    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return committed != null ? committed.query(query, positionBound, config) : super.query(query, positionBound, config);
    }

    // ---- readers other than the stage (interactive queries, tests): the committed view ----

    @Override
    public S get(String key) {
        return heap != null ? heap.get(key) : committed.get(key);
    }

    @Override
    public KeyValueIterator<String, S> range(String from, String to) {
        return heap != null ? StoreIterators.over(new ArrayList<>(heap.subMap(from, true, to, true).entrySet())) : committed.range(from, to);
    }

    @Override
    public KeyValueIterator<String, S> all() {
        return heap != null ? StoreIterators.over(new ArrayList<>(heap.entrySet())) : committed.all();
    }

    @Override
    public long approximateNumEntries() {
        return heap != null ? heap.size() : committed.approximateNumEntries();
    }
}
