package io.bellwether.detect.surge;

import io.bellwether.detect.state.SurgeNotice;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global surge history: one notice per occurrence, where a version that says the occurrence ended is never
 * replaced by one that says it goes on. A surges topic can hold one occurrence's versions out of order (a history
 * published in advance, then the live stage deciding the same occurrence again), and inhibition must not flip back.
 */
public final class SurgeHistoryUpdater implements Processor<String, SurgeNotice, Void, Void> {
    private final String storeName;
    private KeyValueStore<String, SurgeNotice> history;

    public SurgeHistoryUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.history = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, SurgeNotice> record) {
        if (record.key() == null) {
            return;
        }
        SurgeNotice kept = SurgeInhibition.newer(history.get(record.key()), record.value());
        if (kept == null) {
            history.delete(record.key());
        } else {
            history.put(record.key(), kept);
        }
    }
}
