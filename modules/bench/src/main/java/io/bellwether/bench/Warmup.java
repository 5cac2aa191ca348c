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
 * taken after rounds of the full topology over separate workloads (their own topics, seeds and application ids), once
 * per JVM, with nothing of them kept: rounds repeat until the compiler's time in a round falls under a tenth of the
 * round's wall time, at most {@link #MAX_ROUNDS}. One round was the rule until 2026-12-07, when the new per-event JIT
 * figure showed the compiler still taking a quarter of the process's CPU during the timed exactly_once_v2 run: on two
 * busy cores the one C2 thread works through its queue slowly.
 */
final class Warmup {
    static final int MAX_ROUNDS = Integer.getInteger("bench.warmup-rounds", 4);
    /** A round whose compiling took less than this share of its wall time ends the warm-up. */
    static final double QUIET_JIT_SHARE = 0.10;
    private static boolean done;

    private Warmup() {
    }

    /** Runs the full topology (and the stock baseline) over {@code events} warm-up events per round, once per JVM. */
    static synchronized void ensure(Cluster cluster, int events, Report report) throws Exception {
        if (done || events <= 0) {
            return;
        }
        long started = System.nanoTime();
        List<String> rounds = new java.util.ArrayList<>();
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            long roundStart = System.nanoTime();
            long compileStart = CpuProbe.compileMillis();
            SyntheticHistory workload = new SyntheticHistory(40 + round, 500, "warmup" + round);
            long now = Instant.now().toEpochMilli();
            List<TicketEvent> load = workload.generate(events, now - Duration.ofDays(7).toMillis(), now);
            TopicNames topics = cluster.topics("warmup-" + round);
            cluster.load(topics.ticketEvents(), load, workload);
            for (String guarantee : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
                Throughput.topology(cluster, topics, "warmup", load.size(), guarantee);
            }
            Throughput.stockStateful(cluster, topics, load.size(), StreamsConfig.EXACTLY_ONCE_V2);
            double wallMs = (System.nanoTime() - roundStart) / 1e6;
            double jitShare = (CpuProbe.compileMillis() - compileStart) / wallMs;
            rounds.add(String.format("%.0f s, JIT %.0f%%", wallMs / 1e3, 100 * jitShare));
            if (jitShare < QUIET_JIT_SHARE) {
                break;
            }
        }
        done = true;
        report.note("warm-up", String.format("before any figure: %d round(s) of the full topology (exactly_once_v2, then at_least_once) and "
                + "the stock baseline over %d separate events each (%s; %.0f s in all), until the JIT compiled for less than %.0f%% of a "
                + "round's wall time (at most %d rounds)", rounds.size(), events, String.join("; ", rounds),
                (System.nanoTime() - started) / 1e9, 100 * QUIET_JIT_SHARE, MAX_ROUNDS));
    }

    /** Warm-up events: bench.warmup-events, else {@code fallback}. */
    static int events(int fallback) {
        return Integer.getInteger("bench.warmup-events", fallback);
    }
}
