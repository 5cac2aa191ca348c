package io.bellwether.detect;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Set;
import java.util.function.Supplier;

/**
 * A stage's processor together with the stores it owns ({@link org.apache.kafka.streams.processor.ConnectedStoreProvider}):
 * the topology adds and connects them where the stage is placed, as Kafka's own {@code KStreamAggregate} does, so a
 * store's name is written once, where the stage is built, and handed to the processor.
 */
final class StageSupplier<KIn, VIn, KOut, VOut> implements ProcessorSupplier<KIn, VIn, KOut, VOut> {
    private final Supplier<Processor<KIn, VIn, KOut, VOut>> processor;
    private final Set<StoreBuilder<?>> stores;

    StageSupplier(Supplier<Processor<KIn, VIn, KOut, VOut>> processor, Set<StoreBuilder<?>> stores) {
        this.processor = processor;
        this.stores = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(stores));
    }

    @Override
    public Processor<KIn, VIn, KOut, VOut> get() {
        return processor.get();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return stores;
    }
}
