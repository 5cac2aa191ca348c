package io.bellwether.detect;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;

/**
 * One typed output of a stage: the named children of the stage's processor that receive one kind of record (a sink
 * to a topic, or the routing steps of the next stage's feed). A stage forwards each kind only to its own children,
 * so no catch-all output type is split, unwrapped or cast downstream, and nothing is sent where it is not read.
 *
 * <p>Kafka Streams types a processor's context by a single output type, while a stage emits several; the one
 * unchecked conversion that bridges them lives here, behind a value type the compiler checks at every call.
 *
 * @param <V> what the children receive
 */
public final class Outlet<V> {
    private final List<String> children;

    private Outlet(List<String> children) {
        this.children = List.copyOf(children);
    }

    /** The output received by the named children, in this order. */
    public static <V> Outlet<V> to(String... children) {
        if (children.length == 0) {
            throw new IllegalArgumentException("an outlet needs at least one child");
        }
        return new Outlet<>(List.of(children));
    }

    public List<String> children() {
        return children;
    }

    /** The one child's name, for an outlet that is a single sink. */
    public String name() {
        return children.get(0);
    }

    @SuppressWarnings("unchecked")
    public void emit(ProcessorContext<?, ?> context, String key, V value, long timestamp) {
        ProcessorContext<String, V> typed = (ProcessorContext<String, V>) context;
        Record<String, V> record = new Record<>(key, value, timestamp);
        for (String child : children) {
            typed.forward(record, child);
        }
    }
}
