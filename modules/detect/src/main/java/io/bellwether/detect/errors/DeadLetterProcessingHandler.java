package io.bellwether.detect.errors;

import io.bellwether.events.DeadLetters;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A record that makes a processor throw goes to the dead-letter topic with its original source bytes, and the
 * task continues: one poison event must not stop detection for every other ticket.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private HandlerSettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = new HandlerSettings(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        settings.metrics.deadLetter("processing");
        try {
            log.error("Dead-lettering a record that failed in processor {} ({}-{}@{})", context.processorNodeId(), context.topic(),
                    context.partition(), context.offset(), exception);
            return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, "processing", context.sourceRawKey(),
                    context.sourceRawValue(), context.headers(), context.topic(), context.partition(), context.offset(),
                    context.processorNodeId(), exception)));
        } catch (RuntimeException e) {
            // A handler that throws would kill the stream thread on the very record it was meant to set aside.
            log.error("Could not build the dead letter for a failed record; keeping only its reason", e);
            return Response.resume(List.of(DeadLetters.fromTopic(settings.dlqTopic, "processing", null, null, null, null, -1, -1, null,
                    exception)));
        }
    }
}
