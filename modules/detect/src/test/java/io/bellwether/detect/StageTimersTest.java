package io.bellwether.detect;

import io.bellwether.detect.store.EntityStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A stage's unit of work that fails takes what it touched back to the last commit, its timers included. */
class StageTimersTest {
    /** An entity that is only its next due moment. */
    private static final class Entity {
        Long due;

        Entity(Long due) {
            this.due = due;
        }
    }

    private static final class EntitySerde implements org.apache.kafka.common.serialization.Serde<Entity> {
        @Override
        public org.apache.kafka.common.serialization.Serializer<Entity> serializer() {
            return (topic, e) -> e == null ? null : Serdes.Long().serializer().serialize(topic, e.due == null ? -1L : e.due);
        }

        @Override
        public org.apache.kafka.common.serialization.Deserializer<Entity> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                long due = Serdes.Long().deserializer().deserialize(topic, bytes);
                return new Entity(due < 0 ? null : due);
            };
        }
    }

    @Test
    @DisplayName("should go back to the committed entity and its due moment when a unit of work fails half-way")
    void shouldRevertAFailedUnit() {
        EntityStore<Entity> store = EntityStore.over(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("entity-state"),
                Serdes.String(), new EntitySerde()).withLoggingDisabled().build());
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        store.write("acme", new Entity(100L));
        store.flushCache();

        DetectMetrics metrics = DetectMetrics.discard();
        StageTimers<Entity> timers = new StageTimers<>(store, e -> e.due, (e, due) -> e.due = due);
        IllegalStateException failure = new IllegalStateException("a rule failed");
        assertThrows(IllegalStateException.class, () -> timers.unit("entity-state", metrics, () -> {
            Entity acme = store.read("acme");
            // Evaluated, rescheduled to 500, then the rest of the record fails before it is written back.
            timers.evaluate("acme", acme, 50, (key, state, at) -> 500);
            throw failure;
        }));
        assertEquals(1, metrics.counter("bellwether.detect.state_reverts", "stage", "entity-state").getCount());
        assertEquals(100L, store.read("acme").due, "the committed version");

        List<Long> evaluated = new ArrayList<>();
        timers.fireDue(150, (key, state, at) -> {
            evaluated.add(at);
            return Long.MAX_VALUE;
        }, e -> false, due -> { });
        assertEquals(List.of(100L), evaluated, "its committed due moment is kept, not the half-made one");
    }
}
