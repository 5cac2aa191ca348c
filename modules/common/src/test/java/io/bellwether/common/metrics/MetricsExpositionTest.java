package io.bellwether.common.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics as the Prometheus client writes it, read back by the client's own protobuf parser. */
class MetricsExpositionTest {
    private static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private static MetricRegistry registry() {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("bellwether.detect.signals{kind=SLA_RISK,state=RAISED}").inc(3);
        registry.counter("bellwether.detect.signals{kind=SURGE,state=RESOLVED}").inc();
        registry.meter("bellwether.ingest.accepted{source=jira}").mark(2);
        registry.gauge("bellwether.streams.running", () -> () -> Boolean.TRUE);
        registry.gauge("bellwether.streams.process_rate", () -> () -> 12.5);
        registry.gauge("bellwether.streams.state", () -> () -> "RUNNING");
        registry.timer("bellwether.ingest.latency{source=jira}").update(250, TimeUnit.MILLISECONDS);
        registry.histogram("bellwether.detect.lead_time_seconds").update(3600);
        return registry;
    }

    private static Map<String, Metrics.MetricFamily> parse(byte[] body) throws IOException {
        Map<String, Metrics.MetricFamily> families = new TreeMap<>();
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        for (Metrics.MetricFamily family; (family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null; ) {
            families.put(family.getName(), family);
        }
        return families;
    }

    private static Map<String, String> labels(Metrics.Metric metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        metric.getLabelList().forEach(pair -> labels.put(pair.getName(), pair.getValue()));
        return labels;
    }

    @Test
    @DisplayName("should turn tagged Dropwizard names into labelled families of the right Prometheus type")
    void shouldMapEveryMetricKind() throws IOException {
        MetricsExposition.Scrape scrape = new MetricsExposition(registry()).scrape(PROTOBUF);
        assertTrue(scrape.contentType().startsWith("application/vnd.google.protobuf"), scrape.contentType());
        Map<String, Metrics.MetricFamily> families = parse(scrape.body());

        Metrics.MetricFamily signals = families.get("bellwether_detect_signals_total");
        assertEquals(Metrics.MetricType.COUNTER, signals.getType());
        assertEquals(2, signals.getMetricCount(), "one family, one series per tag set");
        Map<Map<String, String>, Double> byLabels = new LinkedHashMap<>();
        signals.getMetricList().forEach(m -> byLabels.put(labels(m), m.getCounter().getValue()));
        assertEquals(3.0, byLabels.get(Map.of("kind", "SLA_RISK", "state", "RAISED")));
        assertEquals(1.0, byLabels.get(Map.of("kind", "SURGE", "state", "RESOLVED")));

        assertEquals(Metrics.MetricType.COUNTER, families.get("bellwether_ingest_accepted_total").getType(), "a meter counts");
        assertEquals(1.0, families.get("bellwether_streams_running").getMetric(0).getGauge().getValue(), "true is 1");
        assertEquals(12.5, families.get("bellwether_streams_process_rate").getMetric(0).getGauge().getValue());
        assertTrue(!families.containsKey("bellwether_streams_state"), "a gauge that is no number is left out");

        Metrics.Summary latency = families.get("bellwether_ingest_latency_seconds").getMetric(0).getSummary();
        assertEquals(1, latency.getSampleCount());
        assertEquals(0.25, latency.getQuantile(0).getValue(), 1e-9, "timers in seconds");
        assertEquals(Metrics.MetricType.SUMMARY, families.get("bellwether_detect_lead_time_seconds").getType());
        assertEquals(3600.0, families.get("bellwether_detect_lead_time_seconds").getMetric(0).getSummary().getSampleSum(), 1e-9);
    }

    @Test
    @DisplayName("should answer a scraper that asks for nothing in particular with Prometheus text 0.0.4")
    void shouldDefaultToPrometheusText() throws IOException {
        MetricsExposition.Scrape scrape = new MetricsExposition(registry()).scrape(null);
        assertTrue(scrape.contentType().startsWith("text/plain; version=0.0.4"), scrape.contentType());
        String text = new String(scrape.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("# TYPE bellwether_detect_signals_total counter"), text);
        assertTrue(text.contains("bellwether_detect_signals_total{kind=\"SLA_RISK\",state=\"RAISED\"} 3"), text);
        assertTrue(text.contains("# TYPE bellwether_ingest_latency_seconds summary"), text);
    }
}
