package io.bellwether.detect.time;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * When each entity (ticket, account, team, dimension) must next be looked at without new input, ordered by that
 * moment. It is derived data (every state records its own next due moment), so it lives in memory and is rebuilt
 * from the stage's entities when a task starts. A persistent index would be a queue of deletes at the head of a sorted
 * store, and every scan from its start would step over all the tombstones.
 */
public final class DeadlineIndex {
    private final TreeSet<Due> byTime = new TreeSet<>();
    private final java.util.Map<String, Long> byEntity = new java.util.HashMap<>();

    /** One entity due at one moment. */
    public record Due(long at, String entity) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byAt = Long.compare(at, other.at);
            return byAt != 0 ? byAt : entity.compareTo(other.entity);
        }
    }

    /** Moves an entity's entry from {@code previousDue} to {@code nextDue} (either may be null). */
    public void reschedule(String entity, Long previousDue, Long nextDue) {
        if (previousDue != null) {
            byTime.remove(new Due(previousDue, entity));
            byEntity.remove(entity, previousDue);
        }
        if (nextDue != null) {
            Long replaced = byEntity.put(entity, nextDue);
            if (replaced != null && !replaced.equals(nextDue)) {
                byTime.remove(new Due(replaced, entity));
            }
            byTime.add(new Due(nextDue, entity));
        }
    }

    /** Drops whatever due moment the entity has. */
    public void forget(String entity) {
        Long due = byEntity.remove(entity);
        if (due != null) {
            byTime.remove(new Due(due, entity));
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
