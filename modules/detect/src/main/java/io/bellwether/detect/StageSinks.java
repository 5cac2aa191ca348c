package io.bellwether.detect;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The topic sinks of the stages' outlets. The DSL gives a processor one typed output stream; a stage has several, so
 * each outlet that ends in a topic becomes a sink added under the stage's processor by name once the DSL part is
 * built: a stage's outputs are its own children, each typed by what it carries.
 */
final class StageSinks {
    private record Sink<V>(String parent, Outlet<V> outlet, String topic, Serde<V> serde) {
        void attachTo(Topology topology) {
            topology.addSink(outlet.name(), topic, new StringSerializer(), serde.serializer(), parent);
        }
    }

    private final List<Sink<?>> sinks = new ArrayList<>();

    /** {@code outlet} of the processor {@code parent} writes to {@code topic}. */
    <V> void add(String parent, Outlet<V> outlet, String topic, Serde<V> serde) {
        sinks.add(new Sink<>(parent, outlet, topic, serde));
    }

    Topology attachTo(Topology topology) {
        sinks.forEach(sink -> sink.attachTo(topology));
        return topology;
    }
}
