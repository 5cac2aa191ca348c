package io.bellwether.bench;

import io.bellwether.replay.SyntheticHistory;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Events per second through the full topology, against what the same broker moves for a plain consume-produce
 * passthrough of the same records in the same run: the ratio stays meaningful on a noisy machine.
 */
final class Throughput {
    private static final int STOCK_FACTOR = 10;
    private Throughput() {
    }

    static void run(Cluster cluster, int events, Report report) throws Exception {
        long now = Instant.now().toEpochMilli();
        SyntheticHistory workload = new SyntheticHistory(42, 500, "bench");
        // A week of history up to now, as after an outage or at first start: the live (wall-clock) topology catches up.
        List<TicketEvent> load = workload.generate(events, now - Duration.ofDays(7).toMillis(), now);
        TopicNames base = cluster.topics("throughput");
        cluster.load(base.ticketEvents(), load, workload);
        report.note("workload", load.size() + " events of " + countTickets(load) + " tickets, 500 accounts (a tenth open half the tickets), "
                + "7 days of history, " + Cluster.PARTITIONS + " partitions");

        // One account holding 10,000 open tickets and a year of closed ones: per-event cost must not grow with its history.
        // Timed is a week of the spread generator's events, all retargeted to that account, once on a fresh application
        // and once after the account's year of history was processed (untimed): the same events, with and without the
        // history, beside the spread workload.
        SyntheticHistory busyHistory = new SyntheticHistory(43, 500, "busy");
        long weekStart = now - Duration.ofDays(7).toMillis();
        List<TicketEvent> history = busyHistory.busyAccount(BUSY_ACCOUNT, 10_000, Math.max(events / 2, 20_000),
                now - Duration.ofDays(365).toMillis(), weekStart);
        SyntheticHistory busyWeekGenerator = new SyntheticHistory(45, 500, "busyweek");
        List<TicketEvent> busyWeek = retarget(busyWeekGenerator.generate(Math.max(events / 2, 20_000), weekStart, now), BUSY_ACCOUNT);
        TopicNames busyFresh = cluster.topics("throughput-busy-fresh");
        cluster.load(busyFresh.ticketEvents(), busyWeek, busyWeekGenerator);
        TopicNames busyBase = cluster.topics("throughput-busy");
        cluster.load(busyBase.ticketEvents(), history, busyHistory);
        report.note("busy-account workload", "one account: a year of history (" + history.size() + " events, " + countTickets(history)
                + " tickets, 10,000 of them still open) processed untimed, then a timed week of " + busyWeek.size()
                + " events (the spread generator's, every ticket on that account); the same week also timed on a fresh application");

        // A warm stock job takes tens of milliseconds for the workload above, too little to time from RUNNING (tasks start
        // processing before the client reports it): the stock baseline gets ten times the events of the same generator.
        SyntheticHistory stockHistory = new SyntheticHistory(44, 500, "stock");
        List<TicketEvent> stockLoad = stockHistory.generate(events * STOCK_FACTOR, now - Duration.ofDays(7).toMillis(), now);
        TopicNames stockBase = cluster.topics("throughput-stock");
        cluster.load(stockBase.ticketEvents(), stockLoad, stockHistory);
        report.note("stock workload", stockLoad.size() + " events of the same generator (" + STOCK_FACTOR + "x the workload), "
                + Cluster.PARTITIONS + " partitions");

        report.note("method", "every rate is input events per second from the first input offset committed to the moment every stage has "
                + "consumed what it was sent (an application's repartition topics included): start-up is left out, no backlog is left over");
        // The passthrough moves the workload in a fraction of a second: over the stock workload instead (a few seconds), and
        // three times (cold, after the warm-up, after the topology runs); the ratios are to the median of the three.
        List<Double> passthroughs = new java.util.ArrayList<>();
        passthroughs.add(passthrough(cluster, stockBase.ticketEvents(), stockLoad.size(), 1));
        Warmup.ensure(cluster, Warmup.events(events), report);
        passthroughs.add(passthrough(cluster, stockBase.ticketEvents(), stockLoad.size(), 2));
        Map<String, Measured[]> runs = new java.util.LinkedHashMap<>();
        for (String guarantee : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
            runs.put(guarantee, new Measured[] {stockStateful(cluster, stockBase, stockLoad.size(), guarantee),
                    topology(cluster, base, "topology", load.size(), guarantee, report)});
        }
        passthroughs.add(passthrough(cluster, stockBase.ticketEvents(), stockLoad.size(), 3));
        double passthrough = median(passthroughs);
        report.add("throughput", "passthrough (consume -> produce, acks=all), median of three", passthrough, "events/s");
        report.note("passthrough", String.format("%,.0f events/s cold (before the warm-up), %,.0f after the warm-up, %,.0f after the topology runs; "
                + "each over the stock workload", passthroughs.get(0), passthroughs.get(1), passthroughs.get(2)));
        for (String guarantee : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
            Measured stockRun = runs.get(guarantee)[0];
            double stock = stockRun.rate();
            report.add("throughput", "stock Kafka Streams stateful (1 repartition + count), " + guarantee, stock, "events/s");
            Measured run = runs.get(guarantee)[1];
            double rate = run.rate();
            report.add("throughput", "full topology, " + guarantee, rate, "events/s");
            report.add("throughput", "full topology, " + guarantee + ": process CPU per event (broker and clients included)", run.processMicros(), "µs");
            report.add("throughput", "full topology, " + guarantee + ": stream-thread CPU per event", run.streamMicros(), "µs");
            report.add("throughput", "full topology, " + guarantee + ": JIT compiling during the run, per event (part of the process CPU)", run.compileMicros(), "µs");
            report.add("throughput", "full topology, " + guarantee + ": stream threads' allocation per event", run.allocatedBytes() / 1024, "KB");
            report.add("throughput", "full topology, " + guarantee + ": garbage collection per event (collector time, all threads)", run.gcMicros(), "µs");
            report.add("throughput", "stock stateful, " + guarantee + ": process CPU per event", stockRun.processMicros(), "µs");
            report.note("process CPU per event by thread, full topology, " + guarantee, run.byThread());
            report.note("process CPU per event by thread, stock stateful, " + guarantee, stockRun.byThread());
            report.add("throughput", "ratio " + guarantee + " / passthrough", rate / passthrough, "x");
            report.add("throughput", "ratio " + guarantee + " / stock stateful", rate / stock, "x");
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                Measured fresh = topology(cluster, busyFresh, "busy-fresh", busyWeek.size(), guarantee);
                Measured busyRun = afterHistory(cluster, busyBase, history.size(), busyWeek, busyWeekGenerator, guarantee);
                report.add("throughput", "busy account, its week without history, " + guarantee, fresh.rate(), "events/s");
                report.add("throughput", "busy account, its week after a year of history, " + guarantee, busyRun.rate(), "events/s");
                report.add("throughput", "busy account after its history, " + guarantee + ": stream-thread CPU per event", busyRun.streamMicros(), "µs");
                report.add("throughput", "busy-account cost per event / spread workload's (stream-thread CPU)",
                        busyRun.streamMicros() / run.streamMicros(), "x");
                report.add("throughput", "busy-account cost per event / spread workload's (rate)", rate / busyRun.rate(), "x");
                report.add("throughput", "busy account: cost per event after its history / without it (stream-thread CPU)",
                        busyRun.streamMicros() / fresh.streamMicros(), "x");
            }
        }
    }

    private static final String BUSY_ACCOUNT = "busy-account";

    private static List<TicketEvent> retarget(List<TicketEvent> events, String account) {
        return events.stream().map(e -> TicketEvent.newBuilder(e).setAccountId(account).build()).toList();
    }

    private static TopicNames outputs(TopicNames base, String guarantee) {
        return new TopicNames(base.ticketEvents(), base.riskSignals() + "-" + guarantee, base.ownershipGaps() + "-" + guarantee,
                base.accountRisk() + "-" + guarantee, base.escalations() + "-" + guarantee, base.control(), base.accountOwners(),
                base.surges() + "-" + guarantee, base.deadLetter(), base.ticketAlerts() + "-" + guarantee, base.audit(), base.acks(),
                base.securitySignals() + "-" + guarantee, base.recurringIssues() + "-" + guarantee, base.peopleSignals() + "-" + guarantee);
    }

    /**
     * The account's history is processed first and not timed; then {@code week} is appended to the same input and timed.
     * The wall clock is kept from moving the ticket tasks' clocks between the two (quiet-after of an hour): the week
     * follows the history as one backlog, as the spread workload is one.
     */
    private static Measured afterHistory(Cluster cluster, TopicNames base, int historyEvents, List<TicketEvent> week,
                                         SyntheticHistory generator, String guarantee) throws Exception {
        TopicNames topics = outputs(base, guarantee);
        io.bellwether.service.TopicSetup.createTopics(cluster.admin(), topics, Cluster.PARTITIONS, (short) 1);
        DetectConfig config = Cluster.live(topics).withCatchUp(Duration.ofMinutes(5), Duration.ofHours(1));
        try (Cluster.Running app = cluster.start("busy", topics, config, RulesParser.builtIn(), guarantee)) {
            cluster.drain(app.applicationId(), topics.ticketEvents(), 0, Duration.ofMinutes(30));
            CpuProbe cpu = CpuProbe.start(app.applicationId());
            cluster.load(topics.ticketEvents(), week, generator);
            Cluster.Drained drained = cluster.drain(app.applicationId(), topics.ticketEvents(), historyEvents, Duration.ofMinutes(30));
            double[] perEvent = cpu.perEvent(week.size());
            double[] memory = cpu.memoryPerEvent(week.size());
            return new Measured(drained.rate(week.size()), perEvent[0], perEvent[1], perEvent[2], memory[0], memory[1], cpu.byThread(week.size()));
        }
    }

    /**
     * One run: input events per second over its window; over the same window, per event, CPU (µs), the stream threads'
     * allocation (bytes) and the collector's time (µs).
     */
    record Measured(double rate, double processMicros, double streamMicros, double compileMicros, double allocatedBytes, double gcMicros,
                    String byThread) {
    }

    /**
     * The full detection topology over {@code base.ticketEvents()}: input records per second from the first input offset
     * committed until every stage has consumed what it was sent (the aggregate feed included), so start-up is left out
     * and no stage's backlog is left over when the clock stops.
     */
    static Measured topology(Cluster cluster, TopicNames base, String name, int events, String guarantee) throws Exception {
        return topology(cluster, base, name, events, guarantee, null);
    }

    /** As above; with a report, also notes the offsets the run wrote per input event, by topic (where the broker's share goes). */
    static Measured topology(Cluster cluster, TopicNames base, String name, int events, String guarantee, Report report) throws Exception {
        TopicNames topics = outputs(base, guarantee);
        io.bellwether.service.TopicSetup.createTopics(cluster.admin(), topics, Cluster.PARTITIONS, (short) 1);
        try (Cluster.Running app = cluster.start(name, topics, Cluster.live(topics), RulesParser.builtIn(), guarantee)) {
            Measured measured = measure(cluster, app, topics.ticketEvents(), events);
            if (report != null) {
                List<String> outputs = List.of(topics.riskSignals(), topics.ownershipGaps(), topics.accountRisk(), topics.escalations(),
                        topics.surges(), topics.ticketAlerts(), topics.securitySignals(), topics.peopleSignals());
                report.note("written per input event, " + guarantee, cluster.writtenPerEvent(app.applicationId(), outputs, events));
                report.note("bytes written per input event, " + guarantee, cluster.bytesPerEvent(app.applicationId(), outputs, events));
            }
            return measured;
        }
    }

    /**
     * What Kafka Streams itself does on this broker for a minimal stateful job over the same records: one repartition
     * (by key) and one persistent count store, with the detection application's settings (commit interval, caching,
     * guarantee). The ceiling any stateful topology here can approach.
     */
    static Measured stockStateful(Cluster cluster, TopicNames base, int events, String guarantee) throws Exception {
        String out = base.ticketEvents() + "-stock-" + guarantee;
        cluster.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(out, Cluster.PARTITIONS, (short) 1))).all().get();
        org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
        builder.stream(base.ticketEvents(), org.apache.kafka.streams.kstream.Consumed.with(org.apache.kafka.common.serialization.Serdes.String(),
                        org.apache.kafka.common.serialization.Serdes.ByteArray()).withName("stock-source"))
                .groupBy((key, value) -> key, org.apache.kafka.streams.kstream.Grouped.<String, byte[]>as("stock-by-key")
                        .withKeySerde(org.apache.kafka.common.serialization.Serdes.String())
                        .withValueSerde(org.apache.kafka.common.serialization.Serdes.ByteArray()))
                .count(org.apache.kafka.streams.kstream.Named.as("stock-count"),
                        org.apache.kafka.streams.kstream.Materialized.as("stock-count-store"))
                .toStream(org.apache.kafka.streams.kstream.Named.as("stock-changes"))
                .to(out, org.apache.kafka.streams.kstream.Produced.with(org.apache.kafka.common.serialization.Serdes.String(),
                        org.apache.kafka.common.serialization.Serdes.Long()).withName("stock-sink"));
        try (Cluster.Running app = cluster.start("stock", base, builder.build(), guarantee)) {
            return measure(cluster, app, base.ticketEvents(), events);
        }
    }

    /** Rate from the first input committed to the last record of every stage consumed; CPU per event from RUNNING (start-up is idle). */
    private static Measured measure(Cluster cluster, Cluster.Running app, String input, int events) throws Exception {
        CpuProbe cpu = CpuProbe.start(app.applicationId());
        Cluster.Drained drained = cluster.drain(app.applicationId(), input, 0, Duration.ofMinutes(30));
        double[] perEvent = cpu.perEvent(events);
        double[] memory = cpu.memoryPerEvent(events);
        return new Measured(drained.rate(events), perEvent[0], perEvent[1], perEvent[2], memory[0], memory[1], cpu.byThread(events));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    /** The {@code round}-th passthrough of {@code topic}: its own group and output topic, so each reads everything. */
    private static double passthrough(Cluster cluster, String topic, int expected, int round) {
        String out = topic + "-passthrough-" + round;
        io.bellwether.service.TopicSetup.createTopics(cluster.admin(), TopicNames.withPrefix(out + "."), Cluster.PARTITIONS, (short) 1);
        String target = out + ".ticket-events";
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-passthrough-" + round, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = cluster.passthroughProducer()) {
            consumer.subscribe(List.of(topic));
            long started = 0;
            int moved = 0;
            while (moved < expected) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (started == 0 && !batch.isEmpty()) {
                    started = System.nanoTime(); // from the first record, as the topology is timed from RUNNING
                }
                for (ConsumerRecord<String, byte[]> r : batch) {
                    producer.send(new ProducerRecord<>(target, r.key(), r.value()));
                    moved++;
                }
                consumer.commitAsync();
            }
            producer.flush();
            consumer.commitSync();
            return expected / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static long countTickets(List<TicketEvent> events) {
        return events.stream().map(TicketEvent::getTicketId).distinct().count();
    }
}
