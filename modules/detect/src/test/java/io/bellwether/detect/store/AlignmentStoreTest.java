package io.bellwether.detect.store;

import io.bellwether.detect.FeedItems;
import io.bellwether.detect.state.AlignmentRecord;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.serde.EventSerdes;
import io.bellwether.serde.InMemorySchemaRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Held items in key order and the partitions' clocks; a commit writes what it finds held as one record, and the clocks. */
class AlignmentStoreTest {
    private KeyValueStore<String, AlignmentRecord> committed;
    private AlignmentStore store;

    @BeforeEach
    void open() {
        EventSerdes serdes = new EventSerdes(new InMemorySchemaRegistry(), true);
        committed = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("aggregate-held"), Serdes.String(), serdes.value(AlignmentRecord.class))
                .withLoggingDisabled().build();
        store = AlignmentStore.over(committed);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    private static FeedItem item(long at) {
        return FeedItems.tick(at, null, null);
    }

    private List<String> committedKeys() {
        List<String> keys = new ArrayList<>();
        try (var all = committed.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    @Test
    @DisplayName("should release held items in key order, only those in the range")
    void shouldReleaseInKeyOrder() {
        store.hold("03|c", item(3));
        store.hold("01|a", item(1));
        store.hold("02|b", item(2));
        List<KeyValue<String, FeedItem>> released = store.release("00", "02\uffff");
        assertEquals(List.of(1L, 2L), released.stream().map(kv -> kv.value.getWatermark()).toList());
        assertEquals(1, store.size());
        assertEquals(3L, store.get("03|c").getWatermark());
    }

    @Test
    @DisplayName("should never write an item released before the commit")
    void shouldNotWriteWhatWasReleasedBeforeTheCommit() {
        store.hold("01|a", item(1));
        store.release("00", "01\uffff");
        store.flushCache();
        assertEquals(List.of(), committedKeys());
    }

    @Test
    @DisplayName("should write what a commit finds held as one record, and delete it at the commit after its last item's release")
    void shouldCommitWhatIsHeldAsOneRecord() {
        store.hold("01|a", item(1));
        store.hold("02|b", item(2));
        store.flushCache();
        assertEquals(List.of("held/0000000000000000"), committedKeys());
        assertEquals(2, committed.get("held/0000000000000000").getHeld().size());
        store.release("00", "01\uffff");
        store.flushCache();
        assertEquals(List.of("held/0000000000000000"), committedKeys(), "one of its items is still held");
        store.release("00", "02\uffff");
        store.flushCache();
        assertEquals(List.of(), committedKeys());
    }

    @Test
    @DisplayName("should hold again after a restart exactly what the last commit held, with the clocks it had")
    void shouldRestoreWhatTheLastCommitHeld() {
        store.setClock(0, 100L);
        store.setPartitions(2);
        store.hold("01|a", item(1));
        store.flushCache();
        store.hold("02|b", item(2)); // never committed: its upstream sends it again when the task is retried
        store.setClock(1, 200L);
        AlignmentStore restarted = AlignmentStore.over(committed);
        assertEquals(1, restarted.size());
        assertEquals(1L, restarted.get("01|a").getWatermark());
        assertNull(restarted.get("02|b"));
        assertEquals(100L, restarted.clock(0));
        assertNull(restarted.clock(1));
        assertEquals(2, restarted.partitions());
        restarted.hold("03|c", item(3));
        restarted.flushCache();
        assertEquals(List.of("clocks", "held/0000000000000000", "held/0000000000000001"), committedKeys(), "a new batch, not the old one overwritten");
    }
}
