package io.bellwether.detect;

import io.bellwether.events.ClockTick;
import io.bellwether.events.TicketEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a ticket event is when it happened in the PSA ({@code occurredAt}), whatever the producer put in
 * the record timestamp. Live, a claim further in the future than the allowed skew is clamped to now + skew, so a
 * PSA with a wrong clock cannot fire every deadline of its partition at once. A replay's clock tick carries its own
 * time ({@code ClockTick.at}): the ticket-events topic stamps records with their arrival time (so the broker's
 * retention follows arrival, not the age of replayed history).
 */
public final class TicketEventTimestamps implements TimestampExtractor {
    private static final PayloadTimestamps PAYLOAD = new PayloadTimestamps();

    private final long maxFutureSkewMillis;

    public TicketEventTimestamps(long maxFutureSkewMillis) {
        this.maxFutureSkewMillis = maxFutureSkewMillis;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof io.bellwether.detect.state.FeedItem) {
            // Repartition feeds take the extractor of the source they descend from: read their payload's time too.
            return PAYLOAD.extract(record, partitionTime);
        }
        if (record.value() instanceof TicketEvent event) {
            long at = event.getOccurredAt().toEpochMilli();
            if (maxFutureSkewMillis > 0) {
                at = Math.min(at, System.currentTimeMillis() + maxFutureSkewMillis);
            }
            return at >= 0 ? at : Math.max(0, record.timestamp());
        }
        if (record.value() instanceof ClockTick tick) {
            return Math.max(0, tick.getAt().toEpochMilli());
        }
        return Math.max(0, record.timestamp());
    }
}
