package io.bellwether.events;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The dead-letter record format shared by every stage that rejects input (webhook receiver and topology): the
 * original key and value bytes untouched, the original headers, and {@code bellwether.dlq.*} headers saying
 * where the record came from and why it was rejected. A value too large for the broker (the reason it was refused,
 * often) is kept as a bounded prefix with its original size and SHA-256, so the dead letter itself always fits.
 */
public final class DeadLetters {
    public static final String REASON = "bellwether.dlq.reason";
    public static final String STAGE = "bellwether.dlq.stage";
    public static final String EXCEPTION = "bellwether.dlq.exception";
    public static final String SOURCE_TOPIC = "bellwether.dlq.source.topic";
    public static final String SOURCE_PARTITION = "bellwether.dlq.source.partition";
    public static final String SOURCE_OFFSET = "bellwether.dlq.source.offset";
    public static final String PROCESSOR = "bellwether.dlq.processor";
    public static final String OUTPUT_TOPIC = "bellwether.dlq.output.topic";
    public static final String ORIGINAL_SIZE = "bellwether.dlq.original.size";
    public static final String ORIGINAL_SHA256 = "bellwether.dlq.original.sha256";
    public static final String TRUNCATED = "bellwether.dlq.truncated";
    /** The most of an original value a dead letter keeps: far under Kafka's default 1 MiB record limit, headers included. */
    public static final int MAX_VALUE_BYTES = 256 * 1024;
    private static final int MAX_KEY_BYTES = 4 * 1024;
    private static final int MAX_HEADER_VALUE_BYTES = 8 * 1024;

    private DeadLetters() {
    }

    /** A dead letter for a record read from a topic. */
    public static ProducerRecord<byte[], byte[]> fromTopic(String dlqTopic, String stage, byte[] key, byte[] value, Headers original,
                                                         String sourceTopic, int partition, long offset, String processor,
                                                         Exception exception) {
        Headers headers = copy(original);
        put(headers, STAGE, stage);
        put(headers, REASON, reason(exception));
        put(headers, EXCEPTION, exception == null ? "unknown" : exception.getClass().getName());
        // During a store flush or punctuation there is no source record: say so rather than fail on the missing topic.
        put(headers, SOURCE_TOPIC, sourceTopic == null ? "(none: not caused by an input record)" : sourceTopic);
        if (sourceTopic != null) {
            put(headers, SOURCE_PARTITION, String.valueOf(partition));
            put(headers, SOURCE_OFFSET, String.valueOf(offset));
        }
        put(headers, PROCESSOR, processor);
        return new ProducerRecord<>(dlqTopic, null, bound(key, MAX_KEY_BYTES, null), bound(value, MAX_VALUE_BYTES, headers), headers);
    }

    /**
     * A dead letter for an output the broker refused when no input record caused it (a changelog write during a store
     * flush, say): the output's own bytes, bounded, and the topic it was meant for.
     */
    public static ProducerRecord<byte[], byte[]> fromOutput(String dlqTopic, String stage, ProducerRecord<byte[], byte[]> output,
                                                          String processor, Exception exception) {
        ProducerRecord<byte[], byte[]> letter = fromTopic(dlqTopic, stage, output.key(), output.value(), null, null, -1, -1, processor, exception);
        put(letter.headers(), OUTPUT_TOPIC, output.topic());
        return letter;
    }

    /** A dead letter for a body received over HTTP. */
    public static ProducerRecord<byte[], byte[]> fromRequest(String dlqTopic, String source, byte[] body, Headers requestHeaders,
                                                           String reason) {
        Headers headers = copy(requestHeaders);
        put(headers, STAGE, "ingest");
        put(headers, REASON, reason);
        put(headers, SOURCE_TOPIC, "webhook:" + source);
        return new ProducerRecord<>(dlqTopic, null, bound(source.getBytes(StandardCharsets.UTF_8), MAX_KEY_BYTES, null),
                bound(body, MAX_VALUE_BYTES, headers), headers);
    }

    /**
     * The bytes, or when longer than {@code max} their first {@code max} bytes; for a value, the headers then say it was
     * truncated, its original size and its SHA-256.
     */
    static byte[] bound(byte[] bytes, int max, Headers headers) {
        if (bytes == null || bytes.length <= max) {
            return bytes;
        }
        if (headers != null) {
            put(headers, TRUNCATED, "true");
            put(headers, ORIGINAL_SIZE, String.valueOf(bytes.length));
            put(headers, ORIGINAL_SHA256, sha256(bytes));
        }
        return java.util.Arrays.copyOf(bytes, max);
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The first line of the exception chain that says something, e.g. the serde's message naming topic and schema id. */
    public static String reason(Throwable exception) {
        if (exception == null) {
            return "unknown";
        }
        Throwable t = exception;
        String message = null;
        while (t != null && message == null) {
            message = t.getMessage();
            t = t.getCause();
        }
        return message == null ? exception.getClass().getSimpleName() : message;
    }

    private static Headers copy(Headers original) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (header.key() != null) {
                    headers.add(header.key(), bound(header.value(), MAX_HEADER_VALUE_BYTES, null));
                }
            }
        }
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        if (value != null) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            headers.add(key, bound(bytes, MAX_HEADER_VALUE_BYTES, null));
        }
    }
}
