package io.bellwether.detect.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.Map;

/**
 * The store side that Bellwether's write-back stores share: objects on the heap in front of an optional committed view.
 * With one (a changelogged store), the committed view registers this store as the root, so Kafka Streams restores into
 * it and asks this store to flush its objects ({@link CachedStateStore#flushCache}) before every commit; without one,
 * the store lives on the heap only, for a run that never restores.
 *
 * @param <V> what readers of the store see per key
 * @param <C> what the committed view holds per key
 */
abstract class HeapFrontedStore<V, C> implements StateStore, CachedStateStore<String, V> {
    protected final String name;
    /** The committed view (changelogged); null when the store lives on the heap only. */
    protected final KeyValueStore<String, C> committed;
    private boolean open;
    /** The stream thread whose stores this one is written back with; null until its first flush, and for a heap-only store. */
    private ThreadWriteBack thread;

    HeapFrontedStore(String name, KeyValueStore<String, C> committed) {
        this.name = name;
        this.committed = committed;
    }

    /** Forgets every object (the store is closing). */
    protected abstract void closeHeap();

    /** Writes the changes held since the last commit to the committed view (nothing for a heap-only store). */
    protected abstract void writeBack();

    /**
     * Kafka Streams calls this before each commit, task by task: it writes back every store of this stream thread
     * ({@link ThreadWriteBack}), so the tasks after the first have nothing left to send.
     */
    @Override
    public final void flushCache() {
        if (committed == null) {
            return;
        }
        // Joined at the flush, not at init: Kafka Streams may open a task's stores on another thread (at start-up, for the
        // state found on disk) than the stream thread that later runs and commits the task.
        ThreadWriteBack here = ThreadWriteBack.ofCurrentThread();
        if (thread != here) {
            if (thread != null) {
                thread.leave(this);
            }
            thread = here;
            here.join(this);
        }
        here.writeBack(this);
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        if (committed == null) {
            context.register(root, (key, value) -> {
                throw new IllegalStateException(name + " lives on the heap only and has no changelog to restore from");
            });
        } else {
            committed.init(context, root);
        }
        open = true;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        if (committed != null) {
            committed.commit(changelogOffsets);
        }
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return committed == null ? null : committed.committedOffset(partition);
    }

    @Override
    public void close() {
        open = false;
        if (thread != null) {
            thread.leave(this);
            thread = null;
        }
        closeHeap();
        if (committed != null) {
            committed.close();
        }
    }

    @Override
    public boolean persistent() {
        return committed != null && committed.persistent();
    }

    @Override
    public boolean isOpen() {
        return committed != null ? committed.isOpen() : open;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return QueryResult.forUnknownQueryType(query, this);
    }

    @Override
    public Position getPosition() {
        return committed != null ? committed.getPosition() : Position.emptyPosition();
    }
}
