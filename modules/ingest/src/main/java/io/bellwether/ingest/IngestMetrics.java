package io.bellwether.ingest;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import static io.bellwether.common.MetricNames.tagged;

/**
 * Per source: deliveries received, accepted (Kafka took them), rejected by reason, events published, and the time
 * from receipt to answer. Metric names carry tags in braces (see {@code MetricNames}).
 */
public final class IngestMetrics {
    private final MetricRegistry registry;

    public IngestMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    public void received(String source) {
        registry.counter(tagged("bellwether.ingest.received", "source", source)).inc();
    }

    public void accepted(String source, int events) {
        registry.counter(tagged("bellwether.ingest.accepted", "source", source)).inc();
        registry.counter(tagged("bellwether.ingest.events", "source", source)).inc(events);
    }

    public void rejected(String source, String reason) {
        registry.counter(tagged("bellwether.ingest.rejected", "source", source, "reason", reason)).inc();
    }

    public void deadLettered(String source) {
        registry.counter(tagged("bellwether.ingest.dead_letters", "source", source)).inc();
    }

    public void unmappedValue(String source, String field) {
        registry.counter(tagged("bellwether.ingest.unmapped", "source", source, "field", field)).inc();
    }

    public Timer latency(String source) {
        return registry.timer(tagged("bellwether.ingest.latency", "source", source));
    }
}
