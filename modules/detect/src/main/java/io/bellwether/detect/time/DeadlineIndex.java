package io.bellwether.detect.time;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * When each entity (ticket, account, team, dimension) must next be looked at without new input, ordered by that
 * moment. It is derived data (every state records its own next due moment), so it lives in memory and is rebuilt
 * from the state store when a task starts. A persistent index would be a queue of deletes at the head of a sorted
 * store, and every scan from its start would step over all the tombstones.
 */
public final class DeadlineIndex {
    private final TreeSet<Due> byTime = new TreeSet<>();

    /** One entity due at one moment. */
    public record Due(long at, String entity) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byAt = Long.compare(at, other.at);
            return byAt != 0 ? byAt : entity.compareTo(other.entity);
        }
    }

    /** An index of every state's next due moment, read from the task's restored store. */
    public static <S> DeadlineIndex rebuild(ReadOnlyKeyValueStore<String, S> states, Function<S, Long> nextDue) {
        DeadlineIndex index = new DeadlineIndex();
        try (KeyValueIterator<String, S> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, S> entry = all.next();
                Long due = entry.value == null ? null : nextDue.apply(entry.value);
                if (due != null) {
                    index.byTime.add(new Due(due, entry.key));
                }
            }
        }
        return index;
    }

    /** Moves an entity's entry from {@code previousDue} to {@code nextDue} (either may be null). */
    public void reschedule(String entity, Long previousDue, Long nextDue) {
        if (previousDue != null) {
            byTime.remove(new Due(previousDue, entity));
        }
        if (nextDue != null) {
            byTime.add(new Due(nextDue, entity));
        }
    }

    /** Entities due at or before {@code now}, oldest first, at most {@code limit}. */
    public List<Due> dueUpTo(long now, int limit) {
        List<Due> due = new ArrayList<>();
        Iterator<Due> it = byTime.iterator();
        while (it.hasNext() && due.size() < limit) {
            Due next = it.next();
            if (next.at() > now) {
                break;
            }
            due.add(next);
        }
        return due;
    }

    public int size() {
        return byTime.size();
    }
}
