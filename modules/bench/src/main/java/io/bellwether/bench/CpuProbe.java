package io.bellwether.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU spent between two moments: by the whole process (broker, registry and clients included: they share the machine)
 * and by one application's stream threads. Per event, these move less from run to run than a rate does.
 */
final class CpuProbe {
    private final String application;
    private final long process;
    private final long streams;
    private final long compiling;

    private CpuProbe(String application) {
        this.application = application;
        this.process = processNanos();
        this.streams = streamNanos(application);
        this.compiling = compileMillis();
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
