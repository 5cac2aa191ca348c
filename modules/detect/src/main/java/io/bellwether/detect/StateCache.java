package io.bellwether.detect;

import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage's entity states as objects, in front of its store: a read returns the object last written instead of
 * decoding the store's bytes again. Every write still goes to the store at once, so the store (its changelog, the
 * interactive queries, a restart) always holds exactly what the stage holds; only decoding is saved, which for a busy
 * team or account is a whole state of thousands of entries per fact.
 *
 * <p>The stage owns the objects: it writes an entity back after changing it, and the store then holds the same
 * content. Should processing of a record fail half-way (the processing handler lets the stage go on), the stage calls
 * {@link #invalidate()}, so an object changed but not written back is never read again. One cache per processor
 * instance, built in {@code init}, so a revived task starts from its store.
 */
public final class StateCache<S> {
    private static final int MAX_ENTRIES = 4096;

    private final KeyValueStore<String, S> store;
    private final Map<String, S> objects = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public StateCache(KeyValueStore<String, S> store) {
        this.store = store;
    }

    /** The store itself, for what reads it whole (the deadline index at start). */
    public KeyValueStore<String, S> store() {
        return store;
    }

    public S get(String key) {
        S cached = objects.get(key);
        if (cached != null) {
            return cached;
        }
        S stored = store.get(key);
        if (stored != null) {
            objects.put(key, stored);
        }
        return stored;
    }

    public void put(String key, S state) {
        store.put(key, state);
        objects.put(key, state);
    }

    public void delete(String key) {
        objects.remove(key);
        store.delete(key);
    }

    /**
     * Runs one unit of the stage's work (a record, a punctuation); should it fail, forgets every object before the
     * failure goes on to the processing handler, which may let the stage continue.
     */
    public void guard(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            invalidate();
            throw e;
        }
    }

    /** Forgets every object: the next read of each entity decodes what the store holds. */
    public void invalidate() {
        objects.clear();
    }
}
