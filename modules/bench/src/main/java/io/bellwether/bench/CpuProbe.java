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

    private CpuProbe(String application) {
        this.application = application;
        this.process = processNanos();
        this.streams = streamNanos(application);
    }

    static CpuProbe start(String application) {
        return new CpuProbe(application);
    }

    /** Microseconds of CPU per event since the start: {process, stream threads}. */
    double[] perEvent(long events) {
        return new double[] {(processNanos() - process) / 1e3 / events, (streamNanos(application) - streams) / 1e3 / events};
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
