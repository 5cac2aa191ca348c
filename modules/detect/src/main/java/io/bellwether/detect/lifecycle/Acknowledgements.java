package io.bellwether.detect.lifecycle;

import io.bellwether.events.Acknowledgement;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Acknowledgements from the acks topic, by dedup key. One holds for the raise it names ({@code raisedAt} equal to the
 * raise's firstRaisedAt) and for no other: a signal that resolves and is raised again needs acknowledging again.
 */
public final class Acknowledgements {
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<Acknowledgement>> store;

    public Acknowledgements(ReadOnlyKeyValueStore<String, ValueAndTimestamp<Acknowledgement>> store) {
        this.store = store;
    }

    /** The acknowledgement of the raise of {@code dedupKey} first raised at {@code firstRaisedAt}, or null. */
    public Acknowledgement of(String dedupKey, long firstRaisedAt) {
        if (store == null) {
            return null;
        }
        ValueAndTimestamp<Acknowledgement> found = store.get(dedupKey);
        Acknowledgement ack = found == null ? null : found.value();
        return ack != null && ack.getRaisedAt().toEpochMilli() == firstRaisedAt ? ack : null;
    }
}
