package io.bellwether.bench;

import io.bellwether.replay.SyntheticHistory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Brings the JVM to the state a service is in after its first minutes: the detection code compiled by the JIT. On a
 * cold JVM the C2 compiler takes about as much CPU as the stream thread for the first tens of seconds (seen with JFR
 * on this 2-core machine), so a measurement that starts cold reports the compiler, not the topology. Every figure is
 * taken after one full run of the topology over a separate workload (its own topics, seed and application id), once
 * per JVM, with nothing of it kept.
 */
final class Warmup {
    private static boolean done;

    private Warmup() {
    }

    /** Runs the full topology (and the stock baseline) over {@code events} warm-up events, once per JVM. */
    static synchronized void ensure(Cluster cluster, int events, Report report) throws Exception {
        if (done || events <= 0) {
            return;
        }
        long started = System.nanoTime();
        SyntheticHistory workload = new SyntheticHistory(41, 500, "warmup");
        long now = Instant.now().toEpochMilli();
        List<TicketEvent> load = workload.generate(events, now - Duration.ofDays(7).toMillis(), now);
        TopicNames topics = cluster.topics("warmup");
        cluster.load(topics.ticketEvents(), load, workload);
        for (String guarantee : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
            Throughput.topology(cluster, topics, "warmup", load.size(), guarantee);
        }
        Throughput.stockStateful(cluster, topics, load.size(), StreamsConfig.EXACTLY_ONCE_V2);
        done = true;
        report.note("warm-up", String.format("before any figure: the full topology (exactly_once_v2, then at_least_once) and the stock "
                + "baseline over %d separate events (%.0f s), so the JIT has compiled the hot paths as in a running service", load.size(),
                (System.nanoTime() - started) / 1e9));
    }

    /** Warm-up events: bench.warmup-events, else {@code fallback}. */
    static int events(int fallback) {
        return Integer.getInteger("bench.warmup-events", fallback);
    }
}
