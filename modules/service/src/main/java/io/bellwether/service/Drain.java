package io.bellwether.service;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a Streams application has processed everything written to its inputs: its group's committed
 * offsets have reached the end of every partition it reads (a transaction marker's offset aside) and its outputs
 * have stopped growing.
 */
final class Drain {
    private Drain() {
    }

    static void await(Admin admin, String groupId, String sourceTopic, List<String> outputs, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> lastOutputEnds = Map.of();
        int stableChecks = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            boolean caughtUp = !committed.isEmpty() && committed.keySet().stream().anyMatch(tp -> tp.topic().equals(sourceTopic));
            Map<TopicPartition, Long> ends = ends(admin, committed.keySet());
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                long lag = ends.get(e.getKey()) - e.getValue().offset();
                // A repartition topic is written in transactions; its last commit marker takes an offset no record uses.
                long allowed = e.getKey().topic().equals(sourceTopic) ? 0 : 1;
                if (lag > allowed) {
                    caughtUp = false;
                }
            }
            Map<TopicPartition, Long> outputEnds = outputEnds(admin, outputs);
            stableChecks = caughtUp && outputEnds.equals(lastOutputEnds) ? stableChecks + 1 : 0;
            lastOutputEnds = outputEnds;
            if (stableChecks >= 4) {
                return;
            }
        }
        throw new IllegalStateException("The backtest topology did not finish within " + timeout.toSeconds() + " s");
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Iterable<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static Map<TopicPartition, Long> outputEnds(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, Long> all = new HashMap<>();
        for (String topic : topics) {
            int partitions = TopicSetup.partitions(admin, topic);
            List<TopicPartition> tps = new java.util.ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            all.putAll(ends(admin, tps));
        }
        return all;
    }
}
