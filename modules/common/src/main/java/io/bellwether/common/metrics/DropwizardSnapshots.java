package io.bellwether.common.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Dropwizard registry as the Prometheus Java client's snapshots, which its writers expose. Names with tags in
 * braces ({@code bellwether.ingest.rejected{source=jira,reason=bad_signature}}) become one family with labels; dots
 * become underscores. Counters and meters are counters ({@code _total}); histograms and timers are summaries
 * (quantiles, {@code _count}, {@code _sum}); timers are in seconds ({@code _seconds}).
 */
public final class DropwizardSnapshots implements MultiCollector {
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
    private static final double NANOS_TO_SECONDS = 1.0 / TimeUnit.SECONDS.toNanos(1);

    private final MetricRegistry registry;

    public DropwizardSnapshots(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        registry.getMetrics().forEach((name, metric) -> add(families, name, metric));
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        families.values().forEach(family -> snapshots.add(family.snapshot()));
        return new MetricSnapshots(snapshots);
    }

    private static void add(Map<String, Family> families, String fullName, Metric metric) {
        int brace = fullName.indexOf('{');
        String base = sanitize(brace < 0 ? fullName : fullName.substring(0, brace));
        Labels labels = brace < 0 ? Labels.EMPTY : labels(fullName.substring(brace + 1, fullName.length() - 1));
        String help = "Bellwether metric " + (brace < 0 ? fullName : fullName.substring(0, brace));
        if (metric instanceof Counter counter) {
            family(families, counterName(base), Kind.COUNTER, help).counter(labels, counter.getCount());
        } else if (metric instanceof Meter meter) {
            family(families, counterName(base), Kind.COUNTER, help).counter(labels, meter.getCount());
        } else if (metric instanceof Gauge<?> gauge) {
            Object value = gauge.getValue();
            if (value instanceof Number n) {
                family(families, base, Kind.GAUGE, help).gauge(labels, n.doubleValue());
            } else if (value instanceof Boolean b) {
                family(families, base, Kind.GAUGE, help).gauge(labels, b ? 1 : 0);
            }
        } else if (metric instanceof Timer timer) {
            family(families, base + "_seconds", Kind.SUMMARY, help).summary(labels, timer.getSnapshot(), timer.getCount(), NANOS_TO_SECONDS);
        } else if (metric instanceof Histogram histogram) {
            family(families, base, Kind.SUMMARY, help).summary(labels, histogram.getSnapshot(), histogram.getCount(), 1.0);
        }
    }

    /** The client appends {@code _total} to a counter's name itself, and refuses a name that already carries it. */
    private static String counterName(String base) {
        return base.endsWith("_total") ? base.substring(0, base.length() - "_total".length()) : base;
    }

    private static Family family(Map<String, Family> families, String name, Kind kind, String help) {
        Family family = families.computeIfAbsent(name, n -> new Family(n, kind, help));
        if (family.kind != kind) {
            throw new IllegalStateException("metric family " + name + " is both a " + family.kind + " and a " + kind);
        }
        return family;
    }

    static String sanitize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        return out.toString();
    }

    private static Labels labels(String tags) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : tags.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                pairs.put(sanitize(pair.substring(0, eq)), pair.substring(eq + 1));
            }
        }
        Labels.Builder labels = Labels.builder();
        pairs.forEach(labels::label);
        return labels.build();
    }

    private enum Kind { COUNTER, GAUGE, SUMMARY }

    /** One family's data points, gathered from every Dropwizard metric that maps to it. */
    private static final class Family {
        final String name;
        final Kind kind;
        final String help;
        final CounterSnapshot.Builder counters;
        final GaugeSnapshot.Builder gauges;
        final SummarySnapshot.Builder summaries;

        Family(String name, Kind kind, String help) {
            this.name = name;
            this.kind = kind;
            this.help = help;
            this.counters = kind == Kind.COUNTER ? CounterSnapshot.builder().name(name).help(help) : null;
            this.gauges = kind == Kind.GAUGE ? GaugeSnapshot.builder().name(name).help(help) : null;
            this.summaries = kind == Kind.SUMMARY ? SummarySnapshot.builder().name(name).help(help) : null;
        }

        void counter(Labels labels, long count) {
            counters.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(count).build());
        }

        void gauge(Labels labels, double value) {
            gauges.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void summary(Labels labels, Snapshot snapshot, long count, double scale) {
            Quantiles.Builder quantiles = Quantiles.builder();
            for (double q : QUANTILES) {
                quantiles.quantile(new Quantile(q, snapshot.getValue(q) * scale));
            }
            double sum = 0;
            for (long v : snapshot.getValues()) {
                sum += v;
            }
            // Dropwizard keeps a reservoir, not a running sum: the sum is estimated from it.
            double estimated = snapshot.size() == 0 ? 0 : sum / snapshot.size() * count * scale;
            summaries.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(labels).quantiles(quantiles.build())
                    .count(count).sum(estimated).build());
        }

        MetricSnapshot snapshot() {
            return switch (kind) {
                case COUNTER -> counters.build();
                case GAUGE -> gauges.build();
                case SUMMARY -> summaries.build();
            };
        }
    }
}
