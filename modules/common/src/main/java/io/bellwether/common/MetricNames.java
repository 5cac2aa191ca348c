package io.bellwether.common;

/**
 * Dropwizard metric names with tags: {@code bellwether.detect.signals{kind=SLA_BREACH,state=RAISED}}. Dropwizard
 * has no labels of its own; this convention keeps one registry for JMX while the Prometheus exposition turns the
 * braces into real labels.
 */
public final class MetricNames {
    private MetricNames() {
    }

    /** {@code name{k1=v1,k2=v2}} from alternating tag keys and values. */
    public static String tagged(String name, String... tags) {
        if (tags.length == 0) {
            return name;
        }
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key/value pairs");
        }
        StringBuilder out = new StringBuilder(name).append('{');
        for (int i = 0; i < tags.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(tags[i]).append('=').append(clean(tags[i + 1]));
        }
        return out.append('}').toString();
    }

    private static String clean(String value) {
        if (value == null) {
            return "none";
        }
        return value.replace(',', '_').replace('}', '_').replace('{', '_').replace('=', '_');
    }
}
