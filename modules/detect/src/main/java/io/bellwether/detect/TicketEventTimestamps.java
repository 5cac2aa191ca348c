package io.bellwether.detect;

import io.bellwether.events.TicketEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a ticket event is when it happened in the PSA ({@code occurredAt}), whatever the producer put in
 * the record timestamp. Live, a claim further in the future than the allowed skew is clamped to now + skew, so a
 * PSA with a wrong clock cannot fire every deadline of its partition at once. Watermarks (null values) keep
 * their record timestamp.
 */
public final class TicketEventTimestamps implements TimestampExtractor {
    private final long maxFutureSkewMillis;

    public TicketEventTimestamps(long maxFutureSkewMillis) {
        this.maxFutureSkewMillis = maxFutureSkewMillis;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof TicketEvent event) {
            long at = event.getOccurredAt().toEpochMilli();
            if (maxFutureSkewMillis > 0) {
                at = Math.min(at, System.currentTimeMillis() + maxFutureSkewMillis);
            }
            return at >= 0 ? at : Math.max(0, record.timestamp());
        }
        return Math.max(0, record.timestamp());
    }
}
