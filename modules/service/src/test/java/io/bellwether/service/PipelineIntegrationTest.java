package io.bellwether.service;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalState;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.ConfluentRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on the real in-process KRaft broker and the real Apicurio registry. */
class PipelineIntegrationTest {
    private static final Rules UNASSIGNED_ONLY = RulesParser.parse("""
            defaults:
              sla: {enabled: false}
              aging: {enabled: false}
              noAccountOwner: {enabled: false}
            """, "it-rules.yaml");

    @Test
    @DisplayName("should turn TicketEvents into RiskSignals that decode by schema id fetched from the registry, for any Confluent-protocol consumer")
    void shouldRunTheWholePipelineOnRealBrokerAndRegistry() throws Exception {
        try (RunningTopology topology = new RunningTopology(DetectConfig.TimeDriver.EVENT_TIME, UNASSIGNED_ONLY)) {
            Tickets t = ticket("IT-1");
            topology.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2).event());
            topology.watermark(Instant.parse("2026-11-16T09:31:00Z").toEpochMilli());
            topology.send(t.update("2026-11-16T09:40:00Z").assign("alice").event());

            String dedupKey = "unassigned/ticket/" + t.key();
            List<ConsumerRecord<String, byte[]>> records = topology.readUntil(topology.topics().riskSignals(),
                    read -> read.stream().filter(r -> r.key().equals(dedupKey)).count() >= 2, Duration.ofSeconds(60));

            // Our serde, with a registry client that has never seen these schemas: ids are resolved over the API.
            AvroSerde<RiskSignal> cold = new AvroSerde<>(RiskSignal.class, new ConfluentRegistryClient(SharedStack.get().registryUrl()), false, false);
            List<RiskSignal> signals = records.stream().filter(r -> r.key().equals(dedupKey))
                    .map(r -> cold.deserialize(topology.topics().riskSignals(), r.value())).toList();
            assertEquals(List.of(SignalState.RAISED, SignalState.RESOLVED), signals.stream().map(RiskSignal::getState).toList());
            assertEquals(Instant.parse("2026-11-16T09:30:00Z"), signals.get(0).getOccurredAt());
            assertEquals(Instant.parse("2026-11-16T09:40:00Z"), signals.get(1).getOccurredAt());

            // A consumer that knows only magic byte + id + GET /schemas/ids/{id} decodes every value on the topic.
            ConfluentProtocolReader reader = new ConfluentProtocolReader(SharedStack.get().registryUrl());
            assertFalse(records.isEmpty());
            for (ConsumerRecord<String, byte[]> record : records) {
                GenericRecord generic = reader.decode(record.value());
                assertEquals(record.key(), generic.get("dedupKey").toString());
                assertTrue(generic.get("reason").toString().length() > 0);
            }
            List<ConsumerRecord<String, byte[]>> gaps = topology.readUntil(topology.topics().ownershipGaps(), read -> read.size() >= 2,
                    Duration.ofSeconds(30));
            assertEquals(2, gaps.size());
            AvroSerde<OwnershipGap> gapSerde = new AvroSerde<>(OwnershipGap.class, new ConfluentRegistryClient(SharedStack.get().registryUrl()), false, false);
            assertEquals("alice", gapSerde.deserialize(topology.topics().ownershipGaps(), gaps.get(1).value()).getCurrentOwner());
            for (ConsumerRecord<String, byte[]> gap : gaps) {
                assertEquals("UNASSIGNED", reader.decode(gap.value()).get("gapType").toString());
            }
        }
    }

    @Test
    @DisplayName("should fire a time-based signal live, with no further input, within seconds of its due moment")
    void shouldFireTimeBasedSignalFromTheWallClock() throws Exception {
        Rules rules = RulesParser.parse("""
                defaults:
                  sla: {enabled: false}
                  aging: {enabled: false}
                  noAccountOwner: {enabled: false}
                  unassigned: {threshold: {default: 1h, P1: 10m}}
                """, "it-rules.yaml");
        try (RunningTopology topology = new RunningTopology(DetectConfig.TimeDriver.WALL_CLOCK, rules)) {
            // P1 runs on the 24x7 calendar: the 10 minutes are plain elapsed time.
            Instant due = Instant.now().plusSeconds(4);
            Tickets t = ticket("LIVE-1");
            topology.send(t.created(due.minus(Duration.ofMinutes(10)).toString()).priority(Priority.P1).event());

            String dedupKey = "unassigned/ticket/" + t.key();
            long[] seenAt = {0};
            List<ConsumerRecord<String, byte[]>> records = topology.readUntil(topology.topics().riskSignals(), read -> {
                boolean found = read.stream().anyMatch(r -> r.key().equals(dedupKey));
                if (found && seenAt[0] == 0) {
                    seenAt[0] = System.currentTimeMillis();
                }
                return found;
            }, Duration.ofSeconds(60));
            RiskSignal raised = topology.serdes().value(RiskSignal.class).deserialize(topology.topics().riskSignals(),
                    records.stream().filter(r -> r.key().equals(dedupKey)).findFirst().orElseThrow().value());

            assertEquals(due.toEpochMilli(), raised.getOccurredAt().toEpochMilli(), "stamped with its due moment");
            long delay = seenAt[0] - due.toEpochMilli();
            System.out.printf("Live time-based signal committed and read %d ms after its due moment%n", delay);
            assertTrue(delay < 5000, "committed " + delay + " ms after its due moment");
        }
    }
}
