package io.bellwether.service;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.replay.KafkaReplaySink;
import io.bellwether.replay.Replayer;
import io.bellwether.replay.SyntheticHistory;
import io.bellwether.serde.ConfluentRegistryClient;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backtest and a live service agree, byte for byte: the same history, with outage waves (surges that inhibit),
 * reopens and hours of timer-driven signals, gives the same transitions per dedup key (signals and consolidated ticket
 * alerts) when run in-process twice, when
 * replayed as fast as possible into a running service on the real broker (four partitions), and when that service is
 * two instances sharing the work. Only the interleaving of different keys may differ between runs on a broker, so the
 * comparison is per dedup key, in order, on the encoded signal.
 */
class ReplayDeterminismIntegrationTest {
    private static final Duration TICK = Duration.ofHours(1);
    private static final Rules RULES = RulesParser.builtIn();
    private static List<TicketEvent> history;
    private static InProcessTopology.Result backtest;

    @BeforeAll
    static void backtestOnce() {
        SyntheticHistory generator = new SyntheticHistory(2026, 40, "det");
        long from = Instant.parse("2026-11-02T07:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-11-14T18:00:00Z").toEpochMilli();
        List<TicketEvent> events = new ArrayList<>(generator.generate(3_000, from, to));
        // Two outage waves on one configuration item across accounts: surges that inhibit the noise they explain.
        events.addAll(generator.wave("vpn-gw", 14, Instant.parse("2026-11-04T09:10:00Z").toEpochMilli(), 80 * 60_000L));
        events.addAll(generator.wave("mail-relay", 12, Instant.parse("2026-11-10T13:20:00Z").toEpochMilli(), 70 * 60_000L));
        events.sort(Comparator.comparing(TicketEvent::getOccurredAt));
        history = events;
        backtest = InProcessTopology.run(RULES, history, TICK);
    }

    @Test
    @DisplayName("should raise exactly the same signals, byte for byte, when the same history is backtested twice")
    void shouldRepeatItsOwnNumbers() {
        InProcessTopology.Result again = InProcessTopology.run(RULES, history, TICK);
        assertEquals(encoded(backtest.signals()), encoded(again.signals()), "the two runs, in publication order");
        assertEquals(encoded(backtest.alerts()), encoded(again.alerts()), "and their consolidated ticket alerts");
        assertTrue(backtest.alerts().stream().anyMatch(s -> s.getState() == SignalState.RAISED), "ticket alerts were raised");
        assertTrue(history.size() >= 3_000, "a realistic size: " + history.size() + " events");
        long raised = backtest.signals().stream().filter(s -> s.getState() == SignalState.RAISED).count();
        assertTrue(raised >= 100, "many signals: " + raised);
        assertTrue(backtest.signals().stream().anyMatch(s -> s.getKind() == SignalKind.SURGE && s.getState() == SignalState.RAISED),
                "the waves surge");
        assertTrue(backtest.signals().stream().anyMatch(s -> s.getKind() == SignalKind.REOPEN_LOOP || s.getKind() == SignalKind.REOPEN_RATE)
                || history.stream().anyMatch(e -> e.getEventType() == io.bellwether.events.TicketEventType.REOPENED), "reopens are in the history");
        assertTrue(backtest.signals().stream().anyMatch(s -> s.getKind() == SignalKind.SLA_RISK || s.getKind() == SignalKind.AGING_NO_ACTIVITY),
                "timer-driven signals fire");
        assertTrue(backtest.surgeHistory().stream().anyMatch(kv -> kv.value.getUntil() != null), "a surge ended");
    }

    @Test
    @DisplayName("should give a live service, one instance or two, the very signals the backtest raised")
    void shouldAgreeWithLiveServices() throws Exception {
        Map<String, List<String>> expected = byKey(backtest.signals());
        Map<String, List<String>> expectedAlerts = byKey(backtest.alerts());
        Live one = liveReplay(1);
        assertSame(expected, one.signals(), "one instance");
        assertSame(expectedAlerts, one.alerts(), "one instance, ticket alerts");
        Live two = liveReplay(2);
        assertSame(expected, two.signals(), "two instances sharing the partitions");
        assertSame(expectedAlerts, two.alerts(), "two instances, ticket alerts");
    }

    /** Equal maps of transitions by dedup key; on a difference, the first few differing keys with both sides, decoded. */
    private static void assertSame(Map<String, List<String>> expected, Map<String, List<String>> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        StringBuilder diff = new StringBuilder();
        int shown = 0;
        int differing = 0;
        for (String key : keys) {
            if (!java.util.Objects.equals(expected.get(key), actual.get(key))) {
                differing++;
                if (shown++ < 5) {
                    diff.append("\n").append(key).append("\n  backtest: ").append(headlines(expected.get(key)))
                            .append("\n  live:     ").append(headlines(actual.get(key)));
                }
            }
        }
        org.junit.jupiter.api.Assertions.fail(what + ": " + differing + " of " + keys.size() + " dedup keys differ" + diff);
    }

    /** The transitions without their encoded bytes. */
    private static List<String> headlines(List<String> transitions) {
        return transitions == null ? null : transitions.stream().map(t -> t.substring(0, t.indexOf(" | "))).toList();
    }

    /** A live run's transitions by dedup key: the fine-grained signals and the consolidated ticket alerts. */
    private record Live(Map<String, List<String>> signals, Map<String, List<String>> alerts) {
    }

    /** Replays the history into a fresh service of {@code instances} instances (event time, four partitions); its signals by key. */
    private static Live liveReplay(int instances) throws Exception {
        String bootstrap = SharedStack.get().bootstrapServers();
        TopicNames topics = TopicNames.withPrefix(SharedStack.unique("det") + ".");
        EventSerdes serdes = new EventSerdes(new ConfluentRegistryClient(SharedStack.get().registryUrl()), true);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicSetup.createTopics(admin, topics, 4, (short) 1);
        }
        TopicSetup.registerSchemas(serdes, topics, "BACKWARD");
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            // The surge history goes first, as `bellwether replay --surge-history` does: inhibition then cannot depend on speed.
            KafkaReplaySink.publishSurgeHistory(producer, serdes.value(SurgeNotice.class), topics.surges(), backtest.surgeHistory());
            String applicationId = SharedStack.unique("det-app");
            DetectConfig config = DetectConfig.replay(topics).withAggregateGrace(Duration.ZERO);
            List<DetectionApp> apps = new ArrayList<>();
            try {
                for (int i = 0; i < instances; i++) {
                    apps.add(DetectionApp.start(applicationId, client, Files.createTempDirectory("bellwether-det"), 1, config, RULES, serdes,
                            DetectMetrics.discard(), Map.of()));
                }
                for (DetectionApp app : apps) {
                    assertTrue(app.awaitRunning(Duration.ofSeconds(90)), "RUNNING");
                }
                new Replayer(producer, serdes.ticketStream(), topics.ticketEvents(), 4)
                        .replay(history, new Replayer.Options(0, Duration.ZERO, TICK, null), n -> { });
                return new Live(byKey(readSignals(bootstrap, topics.riskSignals(), serdes, backtest.signals().size(), Duration.ofMinutes(4))),
                        byKey(readSignals(bootstrap, topics.ticketAlerts(), serdes, backtest.alerts().size(), Duration.ofMinutes(2))));
            } finally {
                apps.forEach(DetectionApp::close);
            }
        }
    }

    private static List<RiskSignal> readSignals(String bootstrap, String topic, EventSerdes serdes, int expected, Duration timeout) {
        List<RiskSignal> signals = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, SharedStack.unique("det-reader"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietSince = System.nanoTime();
            // Until every expected transition is in and two more seconds bring nothing (an extra one would show up).
            while (System.nanoTime() < deadline && (signals.size() < expected || System.nanoTime() - quietSince < 2_000_000_000L)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    signals.add(serdes.value(RiskSignal.class).deserialize(topic, record.value()));
                    quietSince = System.nanoTime();
                }
            }
        }
        return signals;
    }

    private static Map<String, List<String>> byKey(List<RiskSignal> signals) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (RiskSignal signal : signals) {
            byKey.computeIfAbsent(signal.getDedupKey(), k -> new ArrayList<>()).add(signal.getSignalId() + " " + signal.getState() + " "
                    + signal.getOccurredAt() + " | " + hex(signal));
        }
        return byKey;
    }

    private static List<String> encoded(List<RiskSignal> signals) {
        return signals.stream().map(ReplayDeterminismIntegrationTest::hex).toList();
    }

    private static String hex(RiskSignal signal) {
        try {
            ByteBuffer bytes = signal.toByteBuffer();
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return HexFormat.of().formatHex(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
