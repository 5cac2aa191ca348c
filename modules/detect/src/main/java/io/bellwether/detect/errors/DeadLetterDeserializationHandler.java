package io.bellwether.detect.errors;

import io.bellwether.events.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/** A record that cannot be decoded (not the wire format, unknown schema id, corrupt Avro) goes to the dead-letter topic; processing continues. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private HandlerSettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = new HandlerSettings(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        settings.metrics.deadLetter("deserialization");
        try {
            log.warn("Dead-lettering undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    DeadLetters.reason(exception));
            return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, "deserialization", record.key(), record.value(),
                    record.headers(), record.topic(), record.partition(), record.offset(), context == null ? null : context.processorNodeId(),
                    exception)));
        } catch (RuntimeException e) {
            log.error("Could not build the dead letter for an undecodable record; keeping only its reason", e);
            return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, "deserialization", null, null, null, null, -1, -1, null,
                    exception)));
        }
    }
}
