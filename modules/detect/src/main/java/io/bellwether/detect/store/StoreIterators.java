package io.bellwether.detect.store;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Iterators over a snapshot of objects held in memory, as Kafka Streams' stores hand them out. */
final class StoreIterators {
    private StoreIterators() {
    }

    static <V> KeyValueIterator<String, V> over(List<Map.Entry<String, V>> entries) {
        Iterator<Map.Entry<String, V>> it = entries.iterator();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<String, V> next() {
                Map.Entry<String, V> next = it.next();
                return KeyValue.pair(next.getKey(), next.getValue());
            }

            @Override
            public void close() {
            }

            @Override
            public String peekNextKey() {
                throw new UnsupportedOperationException("peekNextKey");
            }
        };
    }
}
