package io.bellwether.detect.store;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stage's entities as objects, committed to the store once per commit; other readers see the committed view. */
class EntityStoreTest {
    /** Counts encodings, to show an entity changed many times between commits is encoded once. */
    private static final class CountingSerde implements Serde<List<String>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        private final Serde<List<String>> inner = (Serde) Serdes.ListSerde(ArrayList.class, Serdes.String());
        int encoded;

        @Override
        public org.apache.kafka.common.serialization.Serializer<List<String>> serializer() {
            return (topic, value) -> {
                encoded++;
                return inner.serializer().serialize(topic, value);
            };
        }

        @Override
        public org.apache.kafka.common.serialization.Deserializer<List<String>> deserializer() {
            return inner.deserializer();
        }
    }

    private static List<String> state(String... entries) {
        return new ArrayList<>(List.of(entries));
    }

    @Nested
    @DisplayName("over a committed store")
    class Committed {
        private CountingSerde serde;
        private KeyValueStore<String, List<String>> inner;
        private EntityStore<List<String>> store;

        @BeforeEach
        void open() {
            serde = new CountingSerde();
            inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("entity-state"), Serdes.String(), serde)
                    .withLoggingDisabled().build();
            store = EntityStore.over(inner);
            store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        }

        @Test
        @DisplayName("should hand the stage the object it wrote, and show other readers nothing until the commit")
        void shouldKeepChangesUntilTheCommit() {
            List<String> acme = state("v1");
            store.write("acme", acme);
            assertSame(acme, store.read("acme"));
            assertNull(store.get("acme"), "interactive queries read the committed view");
            assertEquals(1, store.uncommitted());
            store.flushCache();
            assertEquals(List.of("v1"), store.get("acme"));
            assertEquals(0, store.uncommitted());
        }

        @Test
        @DisplayName("should encode an entity once per commit however often it changed")
        void shouldEncodeOncePerCommit() {
            List<String> acme = state();
            for (int i = 0; i < 100; i++) {
                acme.add("fact-" + i);
                store.write("acme", acme);
            }
            store.flushCache();
            assertEquals(1, serde.encoded);
            assertEquals(100, store.get("acme").size());
        }

        @Test
        @DisplayName("should remove an entity from the committed view at the commit")
        void shouldRemoveAtTheCommit() {
            store.write("globex", state("g"));
            store.flushCache();
            store.remove("globex");
            assertNull(store.read("globex"));
            assertEquals(List.of("g"), store.get("globex"), "still committed until the next commit");
            store.flushCache();
            assertNull(store.get("globex"));
        }

        @Test
        @DisplayName("should take every entity a failed unit touched back to its committed version, and leave the others")
        void shouldRevertWhatAFailedUnitTouched() {
            store.write("acme", state("v1"));
            store.write("globex", state("g1"));
            store.flushCache();

            store.beginUnit();
            List<String> globex = store.read("globex");
            globex.add("g2");
            store.write("globex", globex);

            store.beginUnit();
            List<String> acme = store.read("acme");
            acme.add("half-way"); // then the unit fails, before writing it back
            assertEquals(List.of("acme"), store.revertTouched());

            List<String> read = store.read("acme");
            assertNotSame(acme, read);
            assertEquals(List.of("v1"), read);
            assertEquals(List.of("g1", "g2"), store.read("globex"), "another unit's change stays");
        }

        @Test
        @DisplayName("should list entities with their uncommitted changes when a task rebuilds its indexes")
        void shouldListUncommittedChanges() {
            store.write("acme", state("a"));
            store.write("globex", state("g"));
            store.flushCache();
            store.write("acme", state("a2"));
            store.remove("globex");
            store.write("initech", state("i"));
            List<String> seen = new ArrayList<>();
            store.forEachEntity((key, value) -> seen.add(key + "=" + value));
            seen.sort(null);
            assertEquals(List.of("acme=[a2]", "initech=[i]"), seen);
        }
    }

    @Nested
    @DisplayName("on the heap only")
    class HeapOnly {
        @Test
        @DisplayName("should keep objects without encoding them, readable at once, in key order")
        void shouldKeepObjects() {
            EntityStore<List<String>> store = EntityStore.heapOnly("entity-state");
            store.init(new MockProcessorContext<>().getStateStoreContext(), store);
            List<String> b = state("b");
            store.write("b", b);
            store.write("a", state("a"));
            assertSame(b, store.get("b"));
            List<String> keys = new ArrayList<>();
            try (var all = store.all()) {
                all.forEachRemaining(kv -> keys.add(kv.key));
            }
            assertEquals(List.of("a", "b"), keys);
            store.flushCache();
            assertSame(b, store.read("b"));
            assertTrue(store.revertTouched().isEmpty(), "nothing committed to go back to");
        }
    }
}
