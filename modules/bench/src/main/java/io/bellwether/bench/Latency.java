package io.bellwether.bench;

import io.bellwether.replay.SyntheticHistory;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.SignalKind;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event to signal, end to end, under steady load: background traffic at the target rate plus, ten times a second,
 * a probe ticket whose last event (its second reopen) raises a reopen loop at once. Latency is from handing that
 * event to the producer until the raise is committed and readable read_committed.
 */
final class Latency {
    /**
     * Background load runs this long before the first probe (seconds; {@code -Dbench.latency-settle=}). A just-started
     * application's first seconds (first transactions on every partition, first fetches) took 0.4-1 s per probe; and
     * the live paths are not the backlog paths the warm-up compiled: with probes from second 5, a JFR recording of
     * 2026-12-07 had the C2 compiler on 0.6 of the two cores through the whole measurement (much of it the in-process
     * broker's code), the stream thread on 0.3. A service is measured warm; the start is the warm-up's business,
     * and the report says how much compiling and collecting the measured window still saw.
     */
    static final int SETTLE_SECONDS = Integer.getInteger("bench.latency-settle", 30);

    /** What the JVM spent compiling and collecting since it was taken: the measured window's share of both. */
    private record JvmActivity(long compileMs, long gcMs, long gcs) {
        static JvmActivity now() {
            long gcMs = 0;
            long gcs = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                gcMs += Math.max(0, gc.getCollectionTime());
                gcs += Math.max(0, gc.getCollectionCount());
            }
            return new JvmActivity(CpuProbe.compileMillis(), gcMs, gcs);
        }

        String since(JvmActivity start, double seconds) {
            int cores = Runtime.getRuntime().availableProcessors();
            return String.format("JIT compiling %.0f ms per second of the window (of %,d on %d cores), %d collections taking %.0f ms per second",
                    (compileMs - start.compileMs) / seconds, 1000 * cores, cores, gcs - start.gcs, (gcMs - start.gcMs) / seconds);
        }
    }

    private Latency() {
    }

    /** Where the stream thread's time went (Kafka Streams' own thread metrics), to tell a stall from queueing. */
    private static String threadTimes(Cluster.Running app) {
        java.util.List<String> parts = new ArrayList<>();
        app.streams().metrics().forEach((name, metric) -> {
            if ("stream-thread-metrics".equals(name.group()) && name.name().matches("(commit|poll|punctuate|process)-latency-(max|avg)|(commit|poll|punctuate)-ratio")
                    && metric.metricValue() instanceof Double value && !value.isNaN()) {
                parts.add(name.name() + " " + String.format("%.1f", value));
            }
        });
        java.util.Collections.sort(parts);
        return String.join(", ", parts);
    }

    /**
     * Where a commit's wall time goes, per transaction committed: the producer's own clocks (KIP-691; flush is what Kafka
     * Streams waits for once per task before it commits), and its requests.
     */
    private static String commitCosts(Cluster.Running app) {
        Map<String, Double> totals = new java.util.TreeMap<>();
        Map<String, Double> producer = new java.util.TreeMap<>();
        app.streams().metrics().forEach((name, metric) -> {
            if (!(metric.metricValue() instanceof Double value)) {
                return;
            }
            if ("stream-thread-metrics".equals(name.group()) && name.name().equals("commit-total")
                    || "producer-metrics".equals(name.group()) && name.name().matches("(flush|txn-commit|txn-send-offsets|txn-begin)-time-ns-total|request-total")) {
                totals.merge(name.name(), value, Double::sum);
            } else if ("producer-metrics".equals(name.group()) && name.name().matches("request-latency-avg|batch-size-avg|record-queue-time-avg")) {
                producer.put(name.name(), value);
            }
        });
        double commits = totals.getOrDefault("commit-total", 0.0);
        if (commits == 0) {
            return "no commit";
        }
        List<String> parts = new ArrayList<>();
        parts.add(String.format("%.0f commits", commits));
        totals.forEach((metric, total) -> {
            if (metric.endsWith("-time-ns-total")) {
                parts.add(String.format("%s %.1f ms", metric.replace("-time-ns-total", ""), total / commits / 1e6));
            }
        });
        parts.add(String.format("producer requests %.1f", totals.getOrDefault("request-total", 0.0) / commits));
        producer.forEach((metric, value) -> parts.add(String.format("producer %s %.1f", metric, value)));
        return String.join(", ", parts);
    }

    /**
     * How long the in-process broker took over a produce request, split as Kafka splits it (queued for a handler, local
     * append, waiting on others such as the transaction coordinator, queued for the response): means since it started.
     */
    private static String brokerProduceTimes() {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        List<String> parts = new ArrayList<>();
        for (String time : List.of("TotalTimeMs", "RequestQueueTimeMs", "LocalTimeMs", "RemoteTimeMs", "ResponseQueueTimeMs")) {
            try {
                javax.management.ObjectName name = new javax.management.ObjectName("kafka.network:type=RequestMetrics,name=" + time + ",request=Produce");
                parts.add(String.format("%s %.1f ms (p99 %.1f)", time, ((Number) server.getAttribute(name, "Mean")).doubleValue(),
                        ((Number) server.getAttribute(name, "99thPercentile")).doubleValue()));
            } catch (Exception e) {
                parts.add(time + " unavailable");
            }
        }
        return "broker produce requests: " + String.join(", ", parts);
    }

    /** The event moved onto a compressed timeline that starts at {@code start}: it happens now, as it is sent. */
    private static TicketEvent live(TicketEvent event, long from, double compression, long start) {
        java.util.function.LongUnaryOperator onto = t -> start + (long) ((t - from) / compression) ;
        long at = onto.applyAsLong(event.getOccurredAt().toEpochMilli());
        event.setOccurredAt(Instant.ofEpochMilli(at));
        event.setReceivedAt(Instant.ofEpochMilli(at));
        if (event.getCreatedAt() != null) {
            event.setCreatedAt(Instant.ofEpochMilli(Math.min(at, onto.applyAsLong(event.getCreatedAt().toEpochMilli()))));
        }
        return event;
    }

    static void run(Cluster cluster, int ratePerSecond, int seconds, Report report) throws Exception {
        Warmup.ensure(cluster, Warmup.events(20_000), report);
        TopicNames topics = cluster.topics("latency");
        SyntheticHistory workload = new SyntheticHistory(7, 500, "live");
        long now = Instant.now().toEpochMilli();
        // Background: realistic lifecycles of a day, streamed at the rate as a live PSA sends them: the day is compressed onto
        // the seconds of the run, so each event happens when it is sent. (Sent with their day-old times, they would be a
        // backlog, which the service rightly decides on event time alone; that is the throughput bench's case.)
        int total = seconds + SETTLE_SECONDS;
        List<TicketEvent> background = workload.generate(ratePerSecond * total, now - 86_400_000L, now);
        AvroSerde<TicketEvent> serde = cluster.serdes().value(TicketEvent.class);
        Map<String, Long> sentAt = new LinkedHashMap<>();
        try (Cluster.Running app = cluster.start("latency", topics, Cluster.live(topics), RulesParser.builtIn(), StreamsConfig.EXACTLY_ONCE_V2);
             SignalWatcher watcher = new SignalWatcher(cluster, topics.riskSignals(), SignalKind.REOPEN_LOOP).start();
             KafkaProducer<String, byte[]> producer = cluster.producer()) {
            long started = System.nanoTime();
            long startWall = System.currentTimeMillis();
            long intervalNanos = 1_000_000_000L / ratePerSecond;
            int probe = 0;
            JvmActivity windowStart = JvmActivity.now();
            long windowNanos = started;
            for (int i = 0; i < background.size(); i++) {
                long due = started + i * intervalNanos;
                // Parked, not spun: on a two-core machine a spinning sender takes the core the topology would have.
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                TicketEvent e = live(background.get(i), now - 86_400_000L, 86_400_000L / (total * 1000.0), startWall);
                producer.send(new ProducerRecord<>(topics.ticketEvents(), workload.key(e), serde.serialize(topics.ticketEvents(), e)));
                if (i == ratePerSecond * SETTLE_SECONDS) {
                    windowStart = JvmActivity.now();
                    windowNanos = System.nanoTime();
                }
                if (i % Math.max(1, ratePerSecond / 10) == 0 && i > ratePerSecond * SETTLE_SECONDS) {
                    List<TicketEvent> loop = workload.reopenLoop("P-" + (++probe), System.currentTimeMillis());
                    String key = workload.key(loop.get(0));
                    for (TicketEvent step : loop.subList(0, loop.size() - 1)) {
                        producer.send(new ProducerRecord<>(topics.ticketEvents(), key, serde.serialize(topics.ticketEvents(), step)));
                    }
                    byte[] trigger = serde.serialize(topics.ticketEvents(), loop.get(loop.size() - 1));
                    sentAt.put(key, System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(topics.ticketEvents(), key, trigger));
                }
            }
            double achieved = background.size() / ((System.nanoTime() - started) / 1e9);
            String jvm = JvmActivity.now().since(windowStart, (System.nanoTime() - windowNanos) / 1e9);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && sentAt.keySet().stream().anyMatch(k -> watcher.seenAt(k) == null)) {
                Thread.sleep(100);
            }
            List<Long> latencies = new ArrayList<>();
            List<Long> written = new ArrayList<>();
            int missing = 0;
            for (Map.Entry<String, Long> e : sentAt.entrySet()) {
                Long seen = watcher.seenAt(e.getKey());
                Long wrote = watcher.writtenAt(e.getKey());
                if (seen == null) {
                    missing++;
                } else {
                    latencies.add(seen - e.getValue());
                }
                if (wrote != null) {
                    written.add(wrote - e.getValue());
                }
            }
            Percentiles p = new Percentiles(latencies);
            // When the slow probes were sent tells a stall (a run of them within a second or two) from queueing spread over the run;
            // the UTC time of day finds the stall in a flight recording of the run.
            long firstProbe = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
            List<String> slowest = sentAt.entrySet().stream().filter(e -> watcher.seenAt(e.getKey()) != null)
                    .sorted((a, b) -> Long.compare(watcher.seenAt(b.getKey()) - b.getValue(), watcher.seenAt(a.getKey()) - a.getValue()))
                    .limit(5)
                    .map(e -> String.format("%,d ms (sent at %.1f s, %s)", watcher.seenAt(e.getKey()) - e.getValue(), (e.getValue() - firstProbe) / 1e3,
                            java.time.LocalTime.ofInstant(Instant.ofEpochMilli(e.getValue()), java.time.ZoneOffset.UTC)))
                    .toList();
            long over = latencies.stream().filter(l -> l > 250).count();
            Percentiles w = new Percentiles(written);
            report.note("latency", "stream thread at " + ratePerSecond + " events/s: " + threadTimes(app));
            report.note("latency", "per commit at " + ratePerSecond + " events/s: " + commitCosts(app));
            report.note("latency", brokerProduceTimes());
            report.note("latency", "measured window at " + ratePerSecond + " events/s: " + jvm);
            report.note("latency", "slowest probes at " + ratePerSecond + " events/s: " + String.join(", ", slowest) + "; " + over + " of "
                    + latencies.size() + " over 250 ms");
            report.note("latency", String.format("%d probes under %.0f events/s of background load for %d s, after %d s of it (EOS, commit interval %d ms)%s",
                    p.count(), achieved, seconds, SETTLE_SECONDS, Integer.getInteger("bench.commit-ms", io.bellwether.detect.StreamsSettings.COMMIT_INTERVAL_MS), missing == 0 ? "" : "; " + missing + " probes never signalled"));
            String at = " at " + ratePerSecond + " events/s";
            report.add("latency", "event -> committed signal p50" + at, p.at(50), "ms");
            report.add("latency", "event -> committed signal p95" + at, p.at(95), "ms");
            report.add("latency", "event -> committed signal p99" + at, p.at(99), "ms");
            report.add("latency", "event -> committed signal max" + at, p.max(), "ms");
            report.add("latency", "event -> signal written, before its commit, p50" + at, w.at(50), "ms");
            report.add("latency", "event -> signal written, before its commit, p99" + at, w.at(99), "ms");
            report.add("latency", "probes never signalled within 30 s" + at, missing, "");
        }
    }
}
