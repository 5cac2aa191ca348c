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
            settings.metrics.deadLetter("production");
            log.error("Dead-lettering output to {} the broker refused: {}", record.topic(), DeadLetters.reason(exception));
            return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, "production", context.sourceRawKey(),
                    context.sourceRawValue(), context.headers(), context.topic(), context.partition(), context.offset(),
                    context.processorNodeId(), exception)));
        }
        log.error("Failing the task on an output error to {}", record.topic(), exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        settings.metrics.deadLetter("serialization");
        log.error("Dead-lettering input whose output to {} could not be serialised: {}", record.topic(), DeadLetters.reason(exception));
        return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, "serialization", context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception)));
    }
}
