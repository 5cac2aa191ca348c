package io.bellwether.detect;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Records of the account-owners topic are operators' actions, stamped with the wall clock, and they share a task with
 * ticket events on their way to the account stage. Taking their own time would move that task's event-time clock to
 * today in the middle of a replay of last year and fire every deadline at once, so they carry no time of their own
 * here (the partition's time, which moves nothing); the owner's {@code updatedAt} travels inside the owner note.
 */
public final class OwnerRecordTimestamps implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return Math.max(0, partitionTime);
    }
}
