package io.bellwether.common.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code /metrics}: the registry written by the Prometheus Java client in the format the scraper asks for with its
 * Accept header (Prometheus text 0.0.4 by default; OpenMetrics or protobuf when asked).
 */
public final class MetricsExposition {
    private final DropwizardSnapshots snapshots;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public MetricsExposition(MetricRegistry registry) {
        this.snapshots = new DropwizardSnapshots(registry);
    }

    /** What was written and its content type. */
    public record Scrape(String contentType, byte[] body) {
    }

    public Scrape scrape(String acceptHeader) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, snapshots.collect());
        return new Scrape(writer.getContentType(), out.toByteArray());
    }
}
