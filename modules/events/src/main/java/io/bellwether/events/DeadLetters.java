package io.bellwether.events;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The dead-letter record format shared by every stage that rejects input (webhook receiver and topology): the
 * original key and value bytes untouched, the original headers, and {@code bellwether.dlq.*} headers saying
 * where the record came from and why it was rejected.
 */
public final class DeadLetters {
    public static final String REASON = "bellwether.dlq.reason";
    public static final String STAGE = "bellwether.dlq.stage";
    public static final String EXCEPTION = "bellwether.dlq.exception";
    public static final String SOURCE_TOPIC = "bellwether.dlq.source.topic";
    public static final String SOURCE_PARTITION = "bellwether.dlq.source.partition";
    public static final String SOURCE_OFFSET = "bellwether.dlq.source.offset";
    public static final String PROCESSOR = "bellwether.dlq.processor";

    private DeadLetters() {
    }

    /** A dead letter for a record read from a topic. */
    public static ProducerRecord<byte[], byte[]> fromTopic(String dlqTopic, String stage, byte[] key, byte[] value, Headers original,
                                                         String sourceTopic, int partition, long offset, String processor,
                                                         Exception exception) {
        Headers headers = copy(original);
        put(headers, STAGE, stage);
        put(headers, REASON, reason(exception));
        put(headers, EXCEPTION, exception.getClass().getName());
        put(headers, SOURCE_TOPIC, sourceTopic);
        put(headers, SOURCE_PARTITION, String.valueOf(partition));
        put(headers, SOURCE_OFFSET, String.valueOf(offset));
        if (processor != null) {
            put(headers, PROCESSOR, processor);
        }
        return new ProducerRecord<>(dlqTopic, null, key, value, headers);
    }

    /** A dead letter for a body received over HTTP. */
    public static ProducerRecord<byte[], byte[]> fromRequest(String dlqTopic, String source, byte[] body, Headers requestHeaders,
                                                           String reason) {
        Headers headers = copy(requestHeaders);
        put(headers, STAGE, "ingest");
        put(headers, REASON, reason);
        put(headers, SOURCE_TOPIC, "webhook:" + source);
        return new ProducerRecord<>(dlqTopic, null, source.getBytes(StandardCharsets.UTF_8), body, headers);
    }

    /** The first line of the exception chain that says something, e.g. the serde's message naming topic and schema id. */
    public static String reason(Throwable exception) {
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
                headers.add(header.key(), header.value());
            }
        }
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
