package io.bellwether.detect.ticket;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.StatusCategory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No event can grow a ticket's state past what Kafka takes in one record: a field of 600,000 characters (which once
 * made the state 1.2 MB and wedged the topology) and thousands of small ownership changes both leave it small, and the
 * ticket goes on being judged.
 */
class InputBoundsSpec {
    private static int stateBytes(Harness h, Tickets t) {
        TicketState state = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
        return h.serdes().value(TicketState.class).serializer().serialize("size", state).length;
    }

    @Test
    @DisplayName("should cut an oversized field to 512 characters, count it, and keep judging the ticket")
    void shouldBoundAnOversizedField() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2).assign("a".repeat(600_000)).status(StatusCategory.IN_PROGRESS));
            TicketState state = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
            assertEquals(512, state.getAssignee().length());
            assertTrue(state.getAssignee().endsWith("…"), "marked as cut");
            assertTrue(stateBytes(h, t) < 16 * 1024, "state stays small: " + stateBytes(h, t));
            assertEquals(1, h.metrics().counter("bellwether.detect.events{outcome=truncated}").getCount());

            h.send(t.update("2026-11-16T09:30:00Z").assign("bob"));
            h.watermark("2026-11-16T18:00:00Z");
            assertEquals("bob", h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getAssignee(), "the next event is applied");
            assertTrue(h.signals().stream().map(RiskSignal::getReason).allMatch(r -> r.length() < 2_000), "no signal carries the field");
        }
    }

    @Test
    @DisplayName("should keep a ticket's state bounded through 3,000 small ownership, status and priority changes")
    void shouldBoundStateThroughManySmallEvents() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").assign("p0").status(StatusCategory.IN_PROGRESS));
            java.time.Instant at = java.time.Instant.parse("2026-11-16T09:00:00Z");
            for (int i = 1; i <= 3_000; i++) {
                at = at.plusSeconds(60);
                h.send(t.update(at.toString()).assign("person-" + i + "-" + "x".repeat(400)).team("team-" + (i % 50))
                        .status(i % 3 == 0 ? StatusCategory.WAITING_ON_CUSTOMER : StatusCategory.IN_PROGRESS)
                        .priority(i % 7 == 0 ? Priority.P1 : Priority.P3).sourceEventId("e-" + i));
            }
            int bytes = stateBytes(h, t);
            assertTrue(bytes < 64 * 1024, "owners, pauses, event ids and signal books are bounded lists: " + bytes + " bytes");
            assertEquals("person-3000-" + "x".repeat(400), h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getAssignee());
        }
    }
}
