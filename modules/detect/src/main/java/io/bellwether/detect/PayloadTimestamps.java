package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of the records between stages (feed items on repartition topics) is in the payload: the fact's or
 * signal's moment, or the clock tick's. Bellwether's topics stamp records with their arrival time, so the record
 * timestamp is only the fallback for records that carry no time of their own.
 */
public final class PayloadTimestamps implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof FeedItem item) {
            if (item.getWatermark() != null) {
                return item.getWatermark();
            }
            if (item.getFact() != null || item.getOwner() != null || item.getSignal() != null) {
                return FeedStage.itemTime(item);
            }
        }
        return Math.max(0, record.timestamp());
    }
}
