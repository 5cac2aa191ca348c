package io.bellwether.detect.errors;

import io.bellwether.events.DeadLetters;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Output that cannot be written: a record the broker will never accept (too large, invalid) or that cannot be
 * serialised (registry refused the schema) is dead-lettered with the input that caused it; transient broker
 * errors are retried; anything else fails the task so exactly-once aborts and nothing is lost.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private HandlerSettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = new HandlerSettings(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (exception instanceof RecordTooLargeException || exception instanceof InvalidRecordException) {
            return deadLetter(context, record, exception, "production", "output the broker refused");
        }
        log.error("Failing the task on an output error to {}", record == null ? "?" : record.topic(), exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        // The record is not serialised yet: there are no output bytes to keep, only the input's.
        return deadLetter(context, null, exception, "serialization", "input whose output to " + (record == null ? "?" : record.topic())
                + " could not be serialised");
    }

    /**
     * Never throws: the input record's bytes when there is one, else (a store flush, a punctuation) the refused output's
     * own, bounded; if even that cannot be built, a bare dead letter with the reason.
     */
    private Response deadLetter(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> output, Exception exception, String stage,
                                String what) {
        settings.metrics.deadLetter(stage);
        String processor = context == null ? null : context.processorNodeId();
        try {
            boolean fromInput = context != null && context.topic() != null && context.sourceRawValue() != null;
            log.error("Dead-lettering {} (processor {}, {}): {}", what, processor,
                    fromInput ? context.topic() + "-" + context.partition() + "@" + context.offset() : "no input record",
                    DeadLetters.reason(exception));
            if (fromInput || output == null) {
                return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, stage, context == null ? null : context.sourceRawKey(),
                        context == null ? null : context.sourceRawValue(), context == null ? null : context.headers(),
                        context == null ? null : context.topic(), context == null ? -1 : context.partition(),
                        context == null ? -1 : context.offset(), processor, exception)));
            }
            return Response.resume(List.of(DeadLetters.fromOutput(settings.dlqTopic, stage, output, processor, exception)));
        } catch (RuntimeException e) {
            log.error("Could not build the dead letter for {}; keeping only its reason", what, e);
            return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, stage, null, null, null, null, -1, -1, processor, exception)));
        }
    }
}
