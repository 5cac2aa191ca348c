package io.bellwether.query;

import com.codahale.metrics.MetricRegistry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Map;

/**
 * The Streams application's own health figures in the service's registry, so /metrics and JMX show them next to
 * Bellwether's counters: state, records processed per second, the largest consumer lag, commit latency.
 */
final class StreamsGauges {
    private StreamsGauges() {
    }

    static void register(MetricRegistry registry, KafkaStreams streams) {
        registry.gauge("bellwether.streams.running", () -> () -> streams.state() == KafkaStreams.State.RUNNING ? 1 : 0);
        registry.gauge("bellwether.streams.process_rate", () -> () -> sum(streams, "stream-thread-metrics", "process-rate"));
        registry.gauge("bellwether.streams.records_lag_max", () -> () -> max(streams, "consumer-fetch-manager-metrics", "records-lag-max"));
        registry.gauge("bellwether.streams.commit_latency_avg_ms", () -> () -> max(streams, "stream-thread-metrics", "commit-latency-avg"));
        registry.gauge("bellwether.streams.alive_threads", () -> () -> (double) streams.metadataForLocalThreads().size());
    }

    private static double sum(KafkaStreams streams, String group, String name) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().group().equals(group) && e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Number n
                    && !Double.isNaN(n.doubleValue())) {
                total += n.doubleValue();
            }
        }
        return total;
    }

    private static double max(KafkaStreams streams, String group, String name) {
        double max = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().group().equals(group) && e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Number n
                    && !Double.isNaN(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
                max = Math.max(max, n.doubleValue());
            }
        }
        return max;
    }
}
