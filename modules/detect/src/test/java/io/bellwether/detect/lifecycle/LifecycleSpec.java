package io.bellwether.detect.lifecycle;

import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.Acknowledgement;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Silence;
import io.bellwether.events.SignalState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The alert lifecycle around the rules: silences with expiry, reminders, and the no-storm guarantees. */
class LifecycleSpec {
    private static final String ONLY_UNASSIGNED = """
            defaults:
              sla: {enabled: false}
              aging: {enabled: false}
              noAccountOwner: {enabled: false}
            """;

    private static List<String> lifecycle(Harness h, Tickets t) {
        return h.signals("unassigned", t.key()).stream()
                .map(s -> s.getState() + " " + s.getSeverity() + " " + s.getOccurredAt().toString().substring(11, 16) + " #" + s.getSequence()).toList();
    }

    private static Silence silence(String id, Map<String, String> matchers, String from, String to) {
        return Silence.newBuilder().setSilenceId(id).setMatchers(matchers).setStartsAt(Instant.parse(from)).setEndsAt(Instant.parse(to))
                .setCreatedBy("ops").setComment("maintenance").build();
    }

    @Test
    @DisplayName("should hold back a signal while a matching silence is active and raise it when the silence expires, if it still holds")
    void shouldSilenceUntilExpiry() {
        try (Harness h = Harness.eventTime(Harness.rules(ONLY_UNASSIGNED))) {
            h.silence(silence("s-1", Map.of("kind", "UNASSIGNED", "accountId", "acme"), "2026-11-16T08:00:00Z", "2026-11-16T09:50:00Z"));
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T09:45:00Z");
            assertEquals(List.of(), lifecycle(h, t));
            h.watermark("2026-11-16T09:55:00Z");
            assertEquals(List.of("RAISED WARNING 09:50 #1"), lifecycle(h, t));
            assertEquals(1, h.metrics().counter("bellwether.detect.suppressed{by=silence}").getCount());
        }
    }

    @Test
    @DisplayName("should publish nothing at all for a signal that starts and ends inside a silence")
    void shouldSwallowWhatEndsInsideSilence() {
        try (Harness h = Harness.eventTime(Harness.rules(ONLY_UNASSIGNED))) {
            h.silence(silence("s-1", Map.of("ruleId", "unassigned"), "2026-11-16T08:00:00Z", "2026-11-16T12:00:00Z"));
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T09:45:00Z");
            h.send(t.update("2026-11-16T10:30:00Z").assign("alice"));
            h.watermark("2026-11-16T13:00:00Z");
            assertEquals(List.of(), lifecycle(h, t));
        }
    }

    @Test
    @DisplayName("should not silence what the matchers do not cover")
    void shouldOnlySilenceMatches() {
        try (Harness h = Harness.eventTime(Harness.rules(ONLY_UNASSIGNED))) {
            h.silence(silence("s-1", Map.of("accountId", "globex"), "2026-11-16T08:00:00Z", "2026-11-16T12:00:00Z"));
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T09:45:00Z");
            assertEquals(List.of("RAISED WARNING 09:30 #1"), lifecycle(h, t));
        }
    }

    @Test
    @DisplayName("should remind of a still-active signal every repeat interval, and never re-raise it while it holds")
    void shouldRemindAtRepeatInterval() {
        try (Harness h = Harness.eventTime(Harness.rules(ONLY_UNASSIGNED + """
                  unassigned: {threshold: {default: 1h, P2: 2h}}
                lifecycle: {repeatInterval: 1h}
                """))) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T14:30:00Z");
            assertEquals(List.of("RAISED WARNING 11:00 #1", "UPDATED WARNING 12:00 #2", "UPDATED ERROR 13:00 #3", "UPDATED ERROR 14:00 #4"),
                    lifecycle(h, t));
            assertEquals(1, h.signals("unassigned", t.key()).stream().filter(s -> s.getState() == SignalState.RAISED).count());
        }
    }

    @Test
    @DisplayName("should carry an acknowledgement on every later transition of the raise it names, and not on the next raise")
    void shouldCarryAnAcknowledgementForItsRaiseOnly() {
        try (Harness h = Harness.eventTime(Harness.rules(ONLY_UNASSIGNED))) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T09:35:00Z");
            RiskSignal raised = h.signals("unassigned", t.key()).get(0);
            assertEquals(null, raised.getAcknowledgement());

            Acknowledgement ack = new Acknowledgement(raised.getDedupKey(), raised.getFirstRaisedAt(), "dana",
                    Instant.parse("2026-11-16T09:40:00Z"), "calling the client");
            h.acknowledge(ack);
            assertEquals(ack, h.<Acknowledgement>store(io.bellwether.detect.StoreNames.SIGNAL_ACKS).get(raised.getDedupKey()));
            h.watermark("2026-11-16T10:35:00Z");
            h.send(t.update("2026-11-16T10:50:00Z").assign("alice"));
            h.send(t.update("2026-11-16T11:00:00Z").assign(null));
            h.watermark("2026-11-16T11:45:00Z");

            List<RiskSignal> all = h.signals("unassigned", t.key());
            assertEquals(List.of("RAISED WARNING 09:30 #1", "UPDATED ERROR 10:00 #2", "RESOLVED ERROR 10:50 #3", "RAISED WARNING 11:30 #1"),
                    lifecycle(h, t));
            assertEquals(ack, all.get(1).getAcknowledgement(), "the acknowledged raise's escalation says who is on it");
            assertEquals(ack, all.get(2).getAcknowledgement(), "so does its resolution");
            assertEquals(null, all.get(3).getAcknowledgement(), "a new raise is nobody's until acknowledged again");
        }
    }
}
