package io.bellwether.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One webhook delivery as received: the raw body, the headers (names case-insensitive) and when it arrived. */
public record Delivery(String source, byte[] body, Map<String, List<String>> headers, Instant receivedAt) {
    public Delivery {
        TreeMap<String, List<String>> insensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        insensitive.putAll(headers);
        headers = insensitive;
    }

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String contentType() {
        String value = header("Content-Type");
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
