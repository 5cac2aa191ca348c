package io.bellwether.detect;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import io.bellwether.common.MetricNames;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The topology's counters and histograms, in the service's one Dropwizard registry (exposed over JMX and
 * Prometheus). Names carry tags in braces, see {@link MetricNames}.
 */
public final class DetectMetrics {
    private final MetricRegistry registry;
    private final Histogram leadTime;
    private final Histogram timeSignalDelay;
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

    public DetectMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.leadTime = registry.histogram("bellwether.detect.lead_time_seconds",
                () -> new Histogram(new SlidingTimeWindowArrayReservoir(7, TimeUnit.DAYS)));
        this.timeSignalDelay = registry.histogram("bellwether.detect.time_signal_delay_ms",
                () -> new Histogram(new SlidingTimeWindowArrayReservoir(15, TimeUnit.MINUTES)));
    }

    /** A registry nobody reads, for tests and tools that do not expose metrics. */
    public static DetectMetrics discard() {
        return new DetectMetrics(new MetricRegistry());
    }

    public void signal(String kind, String state) {
        counter("bellwether.detect.signals", "kind", kind, "state", state).inc();
    }

    public void suppressed(String why) {
        counter("bellwether.detect.suppressed", "by", why).inc();
    }

    public void event(String outcome) {
        counter("bellwether.detect.events", "outcome", outcome).inc();
    }

    public void deadLetter(String stage) {
        counter("bellwether.detect.dead_letters", "stage", stage).inc();
    }

    public void escalation(boolean anticipated, long leadMillis) {
        counter("bellwether.detect.escalations", "anticipated", String.valueOf(anticipated)).inc();
        if (anticipated) {
            leadTime.update(leadMillis / 1000);
        }
    }

    /** Live only: how long after its due moment a time-based signal was decided. */
    public void timeSignalDelay(long millis) {
        timeSignalDelay.update(millis);
    }

    /**
     * The counter of {@code name} with {@code tags}, looked up in the registry once: counters are bumped for every
     * event and transition, and building the tagged name each time cost more than the count.
     */
    public Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(new CounterKey(name, Arrays.asList(tags)), key -> registry.counter(MetricNames.tagged(name, tags)));
    }

    private record CounterKey(String name, List<String> tags) {
    }

    public MetricRegistry registry() {
        return registry;
    }
}
