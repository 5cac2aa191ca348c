package io.bellwether.detect.store;

import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The write-back stores opened on one stream thread, written back together. Kafka Streams prepares a commit task by
 * task: a task flushes its stores' caches, then waits until the producer has sent everything (a round trip to the
 * broker), then the next task does the same. Stores that hold their changes until the commit turn that into one round
 * trip per task: a dozen with six partitions and two sub-topologies, 33-42 ms of producer flush per commit at 2,000
 * events/s (2026-12-07). When the first task's flush writes back every store of the thread, the later tasks find
 * nothing new to send and the commit waits for one round trip (8 ms of flush in the same bench).
 *
 * <p>Writing another task's changes at this point is what a store without a cache does at every put: its changelog
 * records go to the broker as they are made, in the transaction under way. Under exactly_once_v2 the thread's tasks
 * share one producer and one transaction, and Kafka Streams commits every task that processed anything together, so
 * the changes are committed with their input offsets. The exception is Kafka Streams' own: when it commits the thread's
 * other tasks without one it found corrupted (a timeout under exactly-once), that task's changes go with them, exactly
 * as a store without a cache's would (a record cache, per task, keeps them back).
 *
 * <p>A store belongs to the thread that last flushed it: the stream thread that runs and commits its task. (Kafka
 * Streams may open a task's stores on another thread, at start-up for the state found on disk, so membership is not
 * decided when a store opens.)
 */
final class ThreadWriteBack {
    private static final ThreadLocal<ThreadWriteBack> OF_THREAD = ThreadLocal.withInitial(ThreadWriteBack::new);

    private final Set<HeapFrontedStore<?, ?>> stores = new LinkedHashSet<>();

    private ThreadWriteBack() {
    }

    /** The stores of the calling thread; {@code asking} must have joined it. */
    static ThreadWriteBack ofCurrentThread() {
        return OF_THREAD.get();
    }

    synchronized void join(HeapFrontedStore<?, ?> store) {
        stores.add(store);
    }

    synchronized void leave(HeapFrontedStore<?, ?> store) {
        stores.remove(store);
    }

    /** Writes back every open store of this thread, {@code asking} included. */
    void writeBack(HeapFrontedStore<?, ?> asking) {
        List<HeapFrontedStore<?, ?>> all;
        synchronized (this) {
            all = new ArrayList<>(stores);
        }
        for (HeapFrontedStore<?, ?> store : all) {
            if (store == asking || store.isOpen()) {
                writeBack(store, asking);
            }
        }
    }

    private static void writeBack(HeapFrontedStore<?, ?> store, HeapFrontedStore<?, ?> asking) {
        try {
            store.writeBack();
        } catch (StreamsException failure) {
            throw failure;
        } catch (RuntimeException failure) {
            // Kafka Streams names the store whose flush it asked for; say which one failed.
            throw store == asking ? failure
                    : new ProcessorStateException("writing back " + store.name() + " (with " + asking.name() + "'s flush) failed", failure);
        }
    }
}
