package io.bellwether.common.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Dropwizard registry in Prometheus text exposition format 0.0.4. Names with tags in braces
 * ({@code bellwether.ingest.rejected{source=jira,reason=bad_signature}}) become one family with labels; dots become
 * underscores. Counters get {@code _total}; histograms and timers are summaries (quantiles, {@code _count},
 * {@code _sum}); timers are in seconds. Every family has one HELP and TYPE line and its samples together, as the
 * format requires.
 */
public final class PrometheusText {
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    private PrometheusText() {
    }

    public static String render(MetricRegistry registry) {
        Map<String, Family> families = new TreeMap<>();
        registry.getMetrics().forEach((name, metric) -> add(families, name, metric));
        StringBuilder out = new StringBuilder(16 * 1024);
        for (Family family : families.values()) {
            out.append("# HELP ").append(family.name).append(' ').append(family.help).append('\n');
            out.append("# TYPE ").append(family.name).append(' ').append(family.type).append('\n');
            family.samples.forEach(sample -> out.append(sample).append('\n'));
        }
        return out.toString();
    }

    private static void add(Map<String, Family> families, String fullName, Metric metric) {
        int brace = fullName.indexOf('{');
        String base = sanitize(brace < 0 ? fullName : fullName.substring(0, brace));
        Map<String, String> labels = brace < 0 ? Map.of() : labels(fullName.substring(brace + 1, fullName.length() - 1));
        if (metric instanceof Counter counter) {
            family(families, base + "_total", "counter", fullName).sample(base + "_total", labels, counter.getCount());
        } else if (metric instanceof Gauge<?> gauge) {
            Object value = gauge.getValue();
            double number;
            if (value instanceof Number n) {
                number = n.doubleValue();
            } else if (value instanceof Boolean b) {
                number = b ? 1 : 0;
            } else {
                return;
            }
            family(families, base, "gauge", fullName).sample(base, labels, number);
        } else if (metric instanceof Timer timer) {
            summary(families, base + "_seconds", fullName, labels, timer.getSnapshot(), timer.getCount(), 1.0 / TimeUnit.SECONDS.toNanos(1));
        } else if (metric instanceof Histogram histogram) {
            summary(families, base, fullName, labels, histogram.getSnapshot(), histogram.getCount(), 1.0);
        } else if (metric instanceof Meter meter) {
            family(families, base + "_total", "counter", fullName).sample(base + "_total", labels, meter.getCount());
        }
    }

    private static void summary(Map<String, Family> families, String name, String help, Map<String, String> labels, Snapshot snapshot,
                                long count, double scale) {
        Family family = family(families, name, "summary", help);
        for (double q : QUANTILES) {
            Map<String, String> withQ = new LinkedHashMap<>(labels);
            withQ.put("quantile", String.valueOf(q));
            family.sample(name, withQ, snapshot.getValue(q) * scale);
        }
        family.sample(name + "_count", labels, count);
        double sum = 0;
        for (long v : snapshot.getValues()) {
            sum += v;
        }
        // Dropwizard keeps a reservoir, not a running sum: the sum is estimated from it.
        family.sample(name + "_sum", labels, snapshot.size() == 0 ? 0 : sum / snapshot.size() * count * scale);
    }

    private static Family family(Map<String, Family> families, String name, String type, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, type, "Bellwether metric " + help.replaceAll("\\{.*", "")));
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

    private static Map<String, String> labels(String tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : tags.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(sanitize(pair.substring(0, eq)), pair.substring(eq + 1));
            }
        }
        return out;
    }

    private static final class Family {
        final String name;
        final String type;
        final String help;
        final List<String> samples = new ArrayList<>();

        Family(String name, String type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        void sample(String sampleName, Map<String, String> labels, double value) {
            StringBuilder line = new StringBuilder(sampleName);
            if (!labels.isEmpty()) {
                line.append('{');
                boolean first = true;
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    if (!first) {
                        line.append(',');
                    }
                    first = false;
                    line.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
                }
                line.append('}');
            }
            line.append(' ').append(format(value));
            samples.add(line.toString());
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }

        private static String format(double value) {
            if (Double.isNaN(value)) {
                return "NaN";
            }
            if (Double.isInfinite(value)) {
                return value > 0 ? "+Inf" : "-Inf";
            }
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                return String.valueOf((long) value);
            }
            return String.valueOf(value);
        }
    }
}
