package io.bellwether.bench;

import io.bellwether.replay.SyntheticHistory;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.SignalKind;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * How long after its due moment a time-based signal is committed, with no other traffic: unassigned tickets whose
 * threshold (5 s, round-the-clock calendar) falls due one by one while nothing else happens.
 */
final class TimeSignalDelay {
    private static final long THRESHOLD_MS = 5_000;
    private static final String RULES = """
            version: 1
            defaults:
              calendar: 24x7
              unassigned:
                threshold: {default: 5s}
            """;

    private TimeSignalDelay() {
    }

    static void run(Cluster cluster, int tickets, Report report) throws Exception {
        TopicNames topics = cluster.topics("timer");
        Rules rules = RulesParser.parse(RULES, "bench-time-signals.yaml");
        SyntheticHistory workload = new SyntheticHistory(11, 10, "timer");
        AvroSerde<TicketEvent> serde = cluster.serdes().value(TicketEvent.class);
        try (Cluster.Running app = cluster.start("timer", topics, Cluster.live(topics), rules, StreamsConfig.EXACTLY_ONCE_V2);
             SignalWatcher watcher = new SignalWatcher(cluster, topics.riskSignals(), SignalKind.UNASSIGNED).start();
             KafkaProducer<String, byte[]> producer = cluster.producer()) {
            List<String> keys = new ArrayList<>();
            List<Long> dueAt = new ArrayList<>();
            for (int i = 0; i < tickets; i++) {
                long opened = System.currentTimeMillis();
                TicketEvent e = workload.unassigned("U-" + i, opened);
                keys.add(workload.key(e));
                dueAt.add(opened + THRESHOLD_MS);
                producer.send(new ProducerRecord<>(topics.ticketEvents(), workload.key(e), serde.serialize(topics.ticketEvents(), e)));
                producer.flush();
                Thread.sleep(173); // due moments spread over the tick, not aligned with it
            }
            long deadline = System.currentTimeMillis() + THRESHOLD_MS + 30_000;
            while (System.currentTimeMillis() < deadline && keys.stream().anyMatch(k -> watcher.seenAt(k) == null)) {
                Thread.sleep(100);
            }
            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                Long seen = watcher.seenAt(keys.get(i));
                if (seen != null) {
                    delays.add(seen - dueAt.get(i));
                }
            }
            Percentiles p = new Percentiles(delays);
            report.note("time-signals", p.count() + " of " + tickets + " unassigned tickets signalled; tick " + Cluster.live(topics).tick().toMillis()
                    + " ms, EOS commit " + Integer.getInteger("bench.commit-ms", io.bellwether.detect.StreamsSettings.COMMIT_INTERVAL_MS) + " ms, no other traffic");
            report.add("time-signals", "due -> committed p50", p.at(50), "ms");
            report.add("time-signals", "due -> committed p99", p.at(99), "ms");
            report.add("time-signals", "due -> committed max", p.max(), "ms");
        }
    }
}
