package io.bellwether.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU spent between two moments: by the whole process (broker, registry and clients included: they share the machine)
 * and by one application's stream threads; and what those threads allocated, and the collector's pauses. Per event,
 * these move less from run to run than a rate does: the bytes allocated per event a few per cent.
 */
final class CpuProbe {
    private final String application;
    private final long process;
    private final long streams;
    private final long compiling;
    private final long allocated;
    private final long paused;
    private final Map<Long, Long> threadNanos;

    private CpuProbe(String application) {
        this.threadNanos = threadNanos();
        this.application = application;
        this.process = processNanos();
        this.streams = streamNanos(application);
        this.compiling = compileMillis();
        this.allocated = streamAllocatedBytes(application);
        this.paused = gcMillis();
    }

    static CpuProbe start(String application) {
        return new CpuProbe(application);
    }

    /**
     * Microseconds per event since the start: {process CPU, stream threads' CPU, JIT compiling}. The last is the
     * compiler threads' time (part of the process's CPU): after one warm-up round it was still a quarter of the process's
     * CPU per event in the timed exactly_once_v2 run (2026-12-07), which a service running for days no longer pays.
     */
    double[] perEvent(long events) {
        return new double[] {(processNanos() - process) / 1e3 / events, (streamNanos(application) - streams) / 1e3 / events,
                (compileMillis() - compiling) * 1e3 / events};
    }

    /**
     * Where the process's CPU went since the start, per event: the application's stream threads, its producers' I/O
     * threads, its other threads (global store, state updater, admin), the broker's threads, the benchmark's own
     * threads and other clients, the JIT, and what no Java thread accounts for (the collector, RocksDB's native threads).
     * A thread that ended during the run is missing from its group and counted in the last.
     */
    String byThread(long events) {
        Map<String, Double> micros = new LinkedHashMap<>();
        for (String group : List.of("stream threads", "its producers' I/O", "its other threads", "broker", "benchmark and other clients")) {
            micros.put(group, 0.0);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double inJavaThreads = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long now = threads.getThreadCpuTime(id);
            if (info == null || now < 0) {
                continue;
            }
            double used = (now - threadNanos.getOrDefault(id, 0L)) / 1e3 / events;
            inJavaThreads += used;
            micros.merge(group(info.getThreadName()), used, Double::sum);
        }
        micros.put("JIT", (compileMillis() - compiling) * 1e3 / events);
        micros.put("outside Java threads (collector, RocksDB, ...)", Math.max(0, (processNanos() - process) / 1e3 / events - inJavaThreads - micros.get("JIT")));
        StringBuilder out = new StringBuilder();
        micros.forEach((group, value) -> out.append(out.length() == 0 ? "" : "; ").append(group).append(String.format(" %.1f", value)));
        return out.append(" µs").toString();
    }

    private String group(String thread) {
        if (thread.contains(application)) {
            if (thread.contains("producer-network-thread")) {
                return "its producers' I/O";
            }
            return thread.startsWith(application) && thread.contains("StreamThread") ? "stream threads" : "its other threads";
        }
        boolean client = thread.equals("main") || thread.contains("producer-network-thread") || thread.contains("admin-client-thread")
                || thread.contains("heartbeat-thread") || thread.startsWith("HttpClient") || thread.startsWith("bench-");
        return client ? "benchmark and other clients" : "broker";
    }

    private static Map<Long, Long> threadNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    /** Per event since the start: {bytes the stream threads allocated, microseconds of collector time (all collectors)}. */
    double[] memoryPerEvent(long events) {
        return new double[] {(streamAllocatedBytes(application) - allocated) / (double) events, (gcMillis() - paused) * 1e3 / events};
    }

    /** Milliseconds every collector has spent collecting since the JVM started (G1: its pauses and concurrent cycles). */
    static long gcMillis() {
        long total = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long streamAllocatedBytes(String application) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith(application) && info.getThreadName().contains("StreamThread")) {
                total += Math.max(0, threads.getThreadAllocatedBytes(id));
            }
        }
        return total;
    }

    /** Milliseconds the JIT has spent compiling since the JVM started (0 where the JVM does not say). */
    static long compileMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long streamNanos(String application) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith(application) && info.getThreadName().contains("StreamThread")) {
                long cpu = threads.getThreadCpuTime(id);
                total += Math.max(0, cpu);
            }
        }
        return total;
    }
}
