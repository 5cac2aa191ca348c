package io.bellwether.bench;

import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.query.SignalTimeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notes when each raise of one signal kind became readable to alerting systems: a listener on the service's own
 * signal timeline (read_committed), with a short fetch wait so the benchmark does not add its own delay.
 */
final class SignalWatcher implements AutoCloseable {
    private final SignalTimeline timeline;
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();

    SignalWatcher(Cluster cluster, String topic, SignalKind kind) {
        this.timeline = new SignalTimeline(Map.of("bootstrap.servers", cluster.bootstrap(), "fetch.max.wait.ms", 10),
                cluster.serdes().value(RiskSignal.class), topic, 1_000_000);
        timeline.listen(entry -> {
            if (entry.kind().equals(kind.name()) && entry.state().equals(SignalState.RAISED.name())) {
                seenAt.putIfAbsent(entry.subjectId(), System.currentTimeMillis());
            }
        });
    }

    SignalWatcher start() {
        timeline.start();
        return this;
    }

    /** Wall-clock milliseconds when the raise for {@code subject} was first readable, or null. */
    Long seenAt(String subject) {
        return seenAt.get(subject);
    }

    @Override
    public void close() {
        timeline.close();
    }
}
