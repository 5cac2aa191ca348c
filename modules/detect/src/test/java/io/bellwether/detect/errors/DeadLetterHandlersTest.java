package io.bellwether.detect.errors;

import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.StreamsSettings;
import io.bellwether.events.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The exception handlers when no input record is behind the failure: a changelog write during a store flush, a
 * punctuation's output. Each must still dead-letter (bounded, with the reason and the stage) and let processing go on;
 * before, the production handler threw a NullPointerException on the missing source topic and the thread died on it for
 * ever.
 */
class DeadLetterHandlersTest {
    private static final Map<String, Object> CONFIG = Map.of(StreamsSettings.DLQ_TOPIC, "dlq", StreamsSettings.METRICS, DetectMetrics.discard());

    /** What Kafka Streams hands a handler when the failing record did not come from a source topic. */
    private static final ErrorHandlerContext NO_SOURCE = new ErrorHandlerContext() {
        public String topic() { return null; }
        public int partition() { return -1; }
        public long offset() { return -1; }
        public Headers headers() { return null; }
        public String processorNodeId() { return "ticket-lifecycle"; }
        public TaskId taskId() { return new TaskId(0, 0); }
        public long timestamp() { return 0; }
        public byte[] sourceRawKey() { return null; }
        public byte[] sourceRawValue() { return null; }
    };

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("should dead-letter an oversized changelog write with no input record: bounded prefix, size, hash, target topic; and resume")
    void shouldDeadLetterAnOutputWithoutSource() {
        DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(CONFIG);
        byte[] state = new byte[1_200_000];
        Arrays.fill(state, (byte) 'x');
        ProducerRecord<byte[], byte[]> changelog = new ProducerRecord<>("app-ticket-state-changelog", "servicenow:INC1".getBytes(), state);

        ProductionExceptionHandler.Response response = handler.handleError(NO_SOURCE, changelog,
                new RecordTooLargeException("The message is 1200100 bytes when serialized"));

        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        List<ProducerRecord<byte[], byte[]>> letters = response.deadLetterQueueRecords();
        assertEquals(1, letters.size());
        ProducerRecord<byte[], byte[]> letter = letters.get(0);
        assertEquals("dlq", letter.topic());
        assertEquals(DeadLetters.MAX_VALUE_BYTES, letter.value().length, "a prefix that fits under the broker's limit");
        assertEquals("1200000", header(letter, DeadLetters.ORIGINAL_SIZE));
        assertEquals(64, header(letter, DeadLetters.ORIGINAL_SHA256).length());
        assertEquals("app-ticket-state-changelog", header(letter, DeadLetters.OUTPUT_TOPIC));
        assertEquals("production", header(letter, DeadLetters.STAGE));
        assertEquals("ticket-lifecycle", header(letter, DeadLetters.PROCESSOR));
        assertEquals("(none: not caused by an input record)", header(letter, DeadLetters.SOURCE_TOPIC));
        assertEquals("The message is 1200100 bytes when serialized", header(letter, DeadLetters.REASON));
    }

    @Test
    @DisplayName("should dead-letter a serialisation failure with no input record, and resume")
    void shouldDeadLetterASerialisationFailureWithoutSource() {
        DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(CONFIG);
        ProductionExceptionHandler.Response response = handler.handleSerializationError(NO_SOURCE,
                new ProducerRecord<>("risk-signals", "k", "v"), new IllegalStateException("registry refused the schema"),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        assertEquals("serialization", header(response.deadLetterQueueRecords().get(0), DeadLetters.STAGE));
        assertNull(response.deadLetterQueueRecords().get(0).value());
    }

    @Test
    @DisplayName("should dead-letter a processing failure with no input record, and resume")
    void shouldDeadLetterAProcessingFailureWithoutSource() {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(CONFIG);
        ProcessingExceptionHandler.Response response = handler.handleError(NO_SOURCE, new Record<>("k", "v", 0L),
                new IllegalArgumentException("a rule threw during a punctuation"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals("a rule threw during a punctuation", header(letter, DeadLetters.REASON));
        assertEquals("processing", header(letter, DeadLetters.STAGE));
    }

    @Test
    @DisplayName("should dead-letter an undecodable record even without a handler context, bounding a huge value, and resume")
    void shouldDeadLetterAnUndecodableRecord() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(CONFIG);
        byte[] huge = new byte[2_000_000];
        DeserializationExceptionHandler.Response response = handler.handleError(null,
                new ConsumerRecord<>("ticket-events", 3, 42L, "k".getBytes(), huge), new IllegalStateException("not the wire format"));
        assertEquals(DeserializationExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals(DeadLetters.MAX_VALUE_BYTES, letter.value().length);
        assertEquals("2000000", header(letter, DeadLetters.ORIGINAL_SIZE));
        assertEquals("ticket-events", header(letter, DeadLetters.SOURCE_TOPIC));
        assertEquals("42", header(letter, DeadLetters.SOURCE_OFFSET));
    }
}
