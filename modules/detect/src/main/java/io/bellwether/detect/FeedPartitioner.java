package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Partitions the aggregate feed by entity, as the default partitioner would partition the entity's own key (murmur2,
 * so interactive queries find every account, team and dimension where Kafka Streams expects it), leaving out the
 * stage tag ({@link FeedRoute}); clock ticks go to every partition: each task of the aggregate stages must learn that
 * event time moved on, or its deadlines would wait for a fact that may never come.
 */
public final class FeedPartitioner implements StreamPartitioner<String, FeedItem> {
    /** The key clock ticks travel under. */
    public static final String BROADCAST_KEY = "";

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, FeedItem value, int numPartitions) {
        if (value != null && value.getWatermark() != null) {
            Set<Integer> all = new HashSet<>();
            for (int p = 0; p < numPartitions; p++) {
                all.add(p);
            }
            return Optional.of(all);
        }
        byte[] bytes = FeedRoute.entity(key).getBytes(StandardCharsets.UTF_8);
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % numPartitions));
    }
}
