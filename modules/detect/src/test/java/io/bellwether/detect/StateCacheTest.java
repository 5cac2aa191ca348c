package io.bellwether.detect;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The object cache in front of a stage's store: reads skip decoding, the store always holds what was written. */
class StateCacheTest {
    private KeyValueStore<String, List<String>> store;
    private StateCache<List<String>> cache;

    @BeforeEach
    void openStore() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Serde<List<String>> values = (Serde) Serdes.ListSerde(ArrayList.class, Serdes.String());
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("entity-state"), Serdes.String(), values)
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        cache = new StateCache<>(store);
    }

    @Test
    @DisplayName("should return the object last written, and write it to the store at once")
    void shouldReturnTheObjectWrittenAndStoreIt() {
        List<String> state = state("v1");
        cache.put("acme", state);
        assertSame(state, cache.get("acme"));
        assertEquals(List.of("v1"), store.get("acme"));
    }

    @Test
    @DisplayName("should read what the store holds once invalidated, not a change that was never written back")
    void shouldForgetUnwrittenChangesWhenInvalidated() {
        List<String> state = state("v1");
        cache.put("acme", state);
        state.add("v2"); // changed, then processing failed before the write-back
        cache.invalidate();
        List<String> read = cache.get("acme");
        assertNotSame(state, read);
        assertEquals(List.of("v1"), read);
    }

    @Test
    @DisplayName("should forget every object when the work it guards fails, and let the failure through")
    void shouldForgetEverythingWhenGuardedWorkFails() {
        List<String> state = state("v1");
        IllegalStateException failure = new IllegalStateException("poison");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> cache.guard(() -> {
            cache.put("acme", state);
            state.add("half-way");
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals(List.of("v1"), cache.get("acme"));
    }

    @Test
    @DisplayName("should read nothing after deleting an entity, from the cache or the store")
    void shouldDeleteFromBoth() {
        List<String> globex = state("g");
        cache.put("globex", globex);
        assertSame(globex, cache.get("globex"));
        cache.delete("globex");
        assertNull(cache.get("globex"));
        assertNull(store.get("globex"));
    }

    private static List<String> state(String entry) {
        return new ArrayList<>(List.of(entry));
    }
}
