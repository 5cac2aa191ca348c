package io.bellwether.detect.store;

import io.bellwether.detect.state.AlignmentRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.function.Function;

/**
 * Builders of the stages' write-back stores ({@link EntityStore}, {@link AlignmentStore}): over a changelogged key-value
 * store without a record cache (they are their own cache), or on the heap only.
 */
public final class WriteBackStores {
    private WriteBackStores() {
    }

    /** A stage's entities, committed to {@code supplier}'s store with a changelog. */
    public static <S> StoreBuilder<EntityStore<S>> entities(KeyValueBytesStoreSupplier supplier, Serde<S> serde) {
        return new Builder<>(supplier.name(), Stores.keyValueStoreBuilder(supplier, Serdes.String(), serde).withCachingDisabled(),
                EntityStore::over, EntityStore::heapOnly);
    }

    /** A stage's entities on the heap only, for a run that never restores. */
    public static <S> StoreBuilder<EntityStore<S>> heapEntities(String name) {
        return new Builder<S, EntityStore<S>>(name, null, EntityStore::over, EntityStore::heapOnly);
    }

    /** The aggregate alignment's held items and clocks, committed to {@code supplier}'s store with a changelog. */
    public static StoreBuilder<AlignmentStore> alignment(KeyValueBytesStoreSupplier supplier, Serde<AlignmentRecord> serde) {
        return new Builder<>(supplier.name(), Stores.keyValueStoreBuilder(supplier, Serdes.String(), serde).withCachingDisabled(),
                AlignmentStore::over, AlignmentStore::heapOnly);
    }

    /** The same on the heap only. */
    public static StoreBuilder<AlignmentStore> heapAlignment(String name) {
        return new Builder<AlignmentRecord, AlignmentStore>(name, null, AlignmentStore::over, AlignmentStore::heapOnly);
    }

    private static final class Builder<V, T extends StateStore> implements StoreBuilder<T> {
        private final String name;
        /** Null for a heap-only store. */
        private StoreBuilder<KeyValueStore<String, V>> committed;
        private final Function<KeyValueStore<String, V>, T> over;
        private final Function<String, T> heapOnly;

        Builder(String name, StoreBuilder<KeyValueStore<String, V>> committed, Function<KeyValueStore<String, V>, T> over,
                Function<String, T> heapOnly) {
            this.name = name;
            this.committed = committed;
            this.over = over;
            this.heapOnly = heapOnly;
        }

        @Override
        public StoreBuilder<T> withCachingEnabled() {
            throw new UnsupportedOperationException(name + ": a write-back store is its own cache");
        }

        @Override
        public StoreBuilder<T> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
            if (committed == null) {
                throw new UnsupportedOperationException(name + " lives on the heap only");
            }
            committed = committed.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<T> withLoggingDisabled() {
            if (committed != null) {
                committed = committed.withLoggingDisabled();
            }
            return this;
        }

        @Override
        public T build() {
            return committed == null ? heapOnly.apply(name) : over.apply(committed.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return committed == null ? Map.of() : committed.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return committed != null && committed.loggingEnabled();
        }

        @Override
        public String name() {
            return name;
        }
    }
}
