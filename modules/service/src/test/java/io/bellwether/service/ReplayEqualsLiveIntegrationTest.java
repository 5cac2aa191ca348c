package io.bellwether.service;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.ActorType;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.replay.Replayer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same events processed live (wall clock, events arriving in real time) and replayed (event time, as fast as
 * the broker goes) give the same signals, byte for byte. Thresholds are seconds on a round-the-clock calendar so
 * the live run takes half a minute. No event comes within 1.5 s before a deadline of its own ticket that it would
 * cancel: a live event delivered after its ticket's deadline has passed on the wall clock is legitimately
 * processed after it (live cannot wait for what it has not received), where a replay knows the order.
 */
class ReplayEqualsLiveIntegrationTest {
    private static final Rules SECONDS = RulesParser.parse("""
            calendars:
              default: {zone: UTC, hours: {mon-sun: "00:00-24:00"}, holidays: []}
            defaults:
              unassigned: {threshold: {default: 3300ms}}
              sla:
                response: {default: 4100ms}
                resolution: {default: 21700ms}
              aging: {noActivity: {default: 6700ms}}
              pingPong: {settleAfter: 9100ms}
              reopenLoop: {quietPeriod: 5300ms}
              repeatFriction: {window: 1h}
              noAccountOwner: {recheck: 2300ms}
            accounts:
              acme: {owner: sam}
            """, "seconds.yaml");

    @Test
    @DisplayName("should produce byte-identical signals when the live event stream is replayed at full speed")
    void shouldReplayExactlyWhatLiveProduced() throws Exception {
        Map<String, List<String>> live;
        List<TicketEvent> input = new ArrayList<>();
        Instant t0;
        Instant horizon;
        try (RunningTopology topology = new RunningTopology(DetectConfig.TimeDriver.WALL_CLOCK, SECONDS)) {
            // The scenario starts once the live topology runs, so every event arrives when it happens.
            t0 = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2);
            horizon = t0.plusSeconds(24);
            for (Step step : scenario(t0)) {
                sleepUntil(step.at());
                topology.send(step.event());
                input.add(step.event());
            }
            sleepUntil(horizon.plusSeconds(3));
            live = signalsUpTo(topology, horizon);
        }
        Map<String, List<String>> replayed;
        try (RunningTopology replay = new RunningTopology(DetectConfig.TimeDriver.EVENT_TIME, SECONDS);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     SharedStack.get().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            new Replayer(producer, replay.serdes().ticketStream(), replay.topics().ticketEvents(), 2)
                    .replay(input, new Replayer.Options(0, Duration.ZERO, Duration.ofSeconds(1), horizon.plusSeconds(1)), done -> { });
            Thread.sleep(1000);
            replayed = signalsUpTo(replay, horizon);
        }
        assertTrue(live.size() >= 10, "the scenario exercises many rules: " + live.keySet());
        assertEquals(live.keySet(), replayed.keySet(), () -> "live only: " + difference(live, replayed) + "\nreplay only: " + difference(replayed, live));
        live.forEach((dedupKey, transitions) -> assertEquals(transitions, replayed.get(dedupKey), dedupKey));
    }

    private static String difference(Map<String, List<String>> a, Map<String, List<String>> b) {
        StringBuilder out = new StringBuilder();
        a.forEach((k, v) -> {
            if (!b.containsKey(k)) {
                v.forEach(t -> out.append("\n  ").append(k).append(": ").append(t, 0, t.indexOf(" | ")));
            }
        });
        return out.toString();
    }

    private record Step(Instant at, TicketEvent event) {
    }

    private static List<Step> scenario(Instant t0) {
        Tickets a = ticket("RL-A");
        Tickets b = ticket("RL-B");
        Tickets c = ticket("RL-C");
        List<Step> steps = new ArrayList<>();
        add(steps, t0, 0.0, a.created(at(t0, 0.0)).actor(ActorType.CUSTOMER).category("Email").event());
        add(steps, t0, 1.0, b.created(at(t0, 1.0)).actor(ActorType.CUSTOMER).category("Email").event());
        add(steps, t0, 2.0, c.created(at(t0, 2.0)).actor(ActorType.CUSTOMER).category("Email").event());
        add(steps, t0, 4.5, a.update(at(t0, 4.5)).assign("alice").status(StatusCategory.IN_PROGRESS).event());
        add(steps, t0, 5.5, b.update(at(t0, 5.5)).assign("bob").status(StatusCategory.IN_PROGRESS).event());
        add(steps, t0, 6.5, b.update(at(t0, 6.5)).assign("carol").event());
        add(steps, t0, 7.0, c.update(at(t0, 7.0)).assign("dana").status(StatusCategory.IN_PROGRESS).event());
        add(steps, t0, 7.5, b.update(at(t0, 7.5)).assign("bob").event());
        add(steps, t0, 9.5, c.update(at(t0, 9.5)).status(StatusCategory.RESOLVED).event());
        add(steps, t0, 10.5, c.update(at(t0, 10.5)).status(StatusCategory.OPEN).actor(ActorType.CUSTOMER).event());
        add(steps, t0, 11.5, c.update(at(t0, 11.5)).status(StatusCategory.RESOLVED).event());
        add(steps, t0, 12.5, c.update(at(t0, 12.5)).status(StatusCategory.OPEN).actor(ActorType.CUSTOMER).event());
        add(steps, t0, 12.6, b.update(at(t0, 12.6)).status(StatusCategory.WAITING_ON_CUSTOMER).event());
        add(steps, t0, 16.5, b.update(at(t0, 16.5)).status(StatusCategory.IN_PROGRESS).actor(ActorType.CUSTOMER).event());
        add(steps, t0, 17.5, c.update(at(t0, 17.5)).status(StatusCategory.CLOSED).event());
        return steps;
    }

    private static void add(List<Step> steps, Instant t0, double offset, TicketEvent event) {
        steps.add(new Step(t0.plusMillis((long) (offset * 1000)), event));
    }

    private static String at(Instant t0, double offset) {
        return t0.plusMillis((long) (offset * 1000)).toString();
    }

    /** Every transition decided up to the horizon, as hex of its value bytes, per dedup key, in order. */
    private static Map<String, List<String>> signalsUpTo(RunningTopology topology, Instant horizon) {
        String topic = topology.topics().riskSignals();
        List<ConsumerRecord<String, byte[]>> records = topology.readUntil(topic, read -> false, Duration.ofSeconds(4));
        Map<String, List<String>> byKey = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            RiskSignal signal = topology.serdes().value(RiskSignal.class).deserialize(topic, record.value());
            if (!signal.getOccurredAt().isAfter(horizon)) {
                byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(signal.getSignalId() + " " + signal.getState() + " "
                        + signal.getOccurredAt() + " " + signal.getReason() + " | "
                        + HexFormat.of().formatHex(Arrays.copyOfRange(record.value(), 5, record.value().length)));
            }
        }
        return byKey;
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long wait = at.toEpochMilli() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
