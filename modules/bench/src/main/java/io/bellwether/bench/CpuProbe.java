package io.bellwether.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

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

    private CpuProbe(String application) {
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
