package io.bellwether.detect.time;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * When each entity (ticket, account, team, dimension) must next be looked at without new input, ordered by
 * that moment. Keys are {@code <16 hex digits of the due epoch ms>|<entity key>}, so a byte-ordered range scan
 * returns exactly the entities due up to a moment, oldest first, from a persistent store that survives restarts.
 */
public final class DeadlineIndex {
    private final KeyValueStore<String, String> store;

    public DeadlineIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Moves an entity's entry from {@code previousDue} to {@code nextDue} (either may be null). */
    public void reschedule(String entity, Long previousDue, Long nextDue) {
        if (previousDue != null && !previousDue.equals(nextDue)) {
            store.delete(key(previousDue, entity));
        }
        if (nextDue != null && !nextDue.equals(previousDue)) {
            store.put(key(nextDue, entity), entity);
        }
    }

    /** Entities due at or before {@code now}, oldest first, at most {@code limit}. */
    public List<Due> dueUpTo(long now, int limit) {
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.range(prefix(0), key(now, "\uffff"))) {
            while (it.hasNext() && due.size() < limit) {
                KeyValue<String, String> next = it.next();
                due.add(new Due(Long.parseLong(next.key.substring(0, 16), 16), next.value));
            }
        }
        return due;
    }

    /** One entity due at one moment. */
    public record Due(long at, String entity) {
    }

    static String key(long due, String entity) {
        return prefix(due) + entity;
    }

    private static String prefix(long due) {
        return String.format("%016x|", Math.max(0, due));
    }
}
