package io.bellwether.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Runs every benchmark on one in-process broker and registry and writes {@code results.md} and {@code results.json}.
 * Sizes come from system properties: bench.events (throughput), bench.rate and bench.seconds (latency),
 * bench.warmup-events (one full-topology run before any figure, default bench.events), bench.timers (time signals),
 * bench.tickets (memory), bench.servicenow (export path, default the ../shared
 * file when present; "skip" to skip), bench.jmh (false to skip), bench.only (one section).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Path root = Path.of(System.getProperty("bench.root", "."));
        String only = System.getProperty("bench.only", "");
        Report report = new Report();
        Path work = Files.createTempDirectory("bellwether-bench");
        // A run leaves 1.5 GB of broker logs and state behind; a dozen runs filled this machine's disk (2026-12-07).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!Boolean.getBoolean("bench.keep-work")) {
                deleteTree(work);
            }
        }, "bench-work-cleanup"));
        java.util.SortedMap<String, String> overrides = new java.util.TreeMap<>(Cluster.overrides());
        if (Integer.getInteger("bench.commit-ms") != null) {
            overrides.put("commit.interval.ms", String.valueOf(Integer.getInteger("bench.commit-ms")));
        }
        if (!overrides.isEmpty()) {
            report.note("settings", "the applications ran with these settings over the production defaults: " + overrides);
        }
        try (Cluster cluster = new Cluster(work)) {
            if (wanted(only, "throughput")) {
                System.out.println("== throughput");
                Throughput.run(cluster, Integer.getInteger("bench.events", 50_000), report);
            }
            if (wanted(only, "latency")) {
                System.out.println("== latency");
                Latency.run(cluster, Integer.getInteger("bench.rate", 2000), Integer.getInteger("bench.seconds", 30), report);
                // And at a rate the topology sustains on this machine, to show the pipeline's own latency.
                Latency.run(cluster, Integer.getInteger("bench.sustainable-rate", 100), Integer.getInteger("bench.seconds", 30), report);
            }
            if (wanted(only, "time-signals")) {
                System.out.println("== time-signals");
                TimeSignalDelay.run(cluster, Integer.getInteger("bench.timers", 100), report);
            }
            if (wanted(only, "memory")) {
                System.out.println("== memory");
                MemoryPerTicket.run(cluster, Integer.getInteger("bench.tickets", 100_000), report);
            }
            Path export = Path.of(System.getProperty("bench.servicenow",
                    root.resolve("../shared/data/servicenow-incident-log/incident_event_log.csv.gz").toString()));
            if (wanted(only, "servicenow")) {
                if (Files.exists(export)) {
                    System.out.println("== servicenow");
                    ServiceNowReplay.run(cluster, export, report);
                } else {
                    report.note("servicenow", "SKIPPED: " + export + " not present (the ../shared data)");
                }
            }
        }
        if (wanted(only, "jmh") && !"false".equals(System.getProperty("bench.jmh"))) {
            System.out.println("== jmh");
            Options options = new OptionsBuilder().include("io.bellwether.bench.jmh.*").forks(1).warmupIterations(3)
                    .warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1)).build();
            Collection<RunResult> results = new Runner(options).run();
            for (RunResult r : results) {
                String name = r.getParams().getBenchmark().replace("io.bellwether.bench.jmh.", "");
                report.add("jmh", name + " (± " + String.format(java.util.Locale.ROOT, "%.0f", r.getPrimaryResult().getScoreError()) + ")",
                        r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit());
            }
        }
        report.write(out);
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("bench: could not delete " + root + ": " + e.getMessage());
        }
    }

    private static boolean wanted(String only, String section) {
        return only.isEmpty() || only.equals(section);
    }
}
