package io.bellwether.detect.time;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time in a live service: the wall clock moves a ticket task's time only while the task is current, so a backlog is
 * decided as it would have been had the service kept up; and the account, technician and surge stages decide on the
 * ticket tasks' ticks, never on their own clock.
 */
class LiveTimeSpec {
    private static final Rules ONLY_UNASSIGNED = Harness.rules("""
            defaults:
              sla: {enabled: false}
              aging: {enabled: false}
              noAccountOwner: {enabled: false}
            """);

    private static List<RiskSignal> unassigned(Harness h, Tickets t) {
        return h.signals("unassigned", t.key());
    }

    @Nested
    @DisplayName("a ticket task catching up")
    class CatchingUp {
        @Test
        @DisplayName("should not let the wall clock fire the deadlines of events it is still working through")
        void shouldWaitForTheBacklog() {
            // Noon, and the task reads an event of nine o'clock: it is three hours behind.
            try (Harness h = Harness.live(ONLY_UNASSIGNED, "2026-11-16T12:00:00Z")) {
                Tickets late = ticket("T-1");
                h.send(late.created("2026-11-16T09:00:00Z").priority(Priority.P2));
                h.advanceWallClock(Duration.ofSeconds(1));
                assertEquals(List.of(), unassigned(h, late), "09:30 has not come in event time: the backlog may still assign it");

                // The backlog goes on: the ticket was assigned at 09:20, as the next event of the partition says.
                h.send(late.update("2026-11-16T09:20:00Z").assign("alice"));
                h.advanceWallClock(Duration.ofSeconds(10));
                assertEquals(List.of(), unassigned(h, late), "assigned before its deadline: never unassigned for 30 minutes");
            }
        }

        @Test
        @DisplayName("should let the wall clock move a quiet task's time again, and stamp what fell due with its own moment")
        void shouldMoveOnOnceQuiet() {
            try (Harness h = Harness.live(ONLY_UNASSIGNED, "2026-11-16T12:00:00Z")) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
                h.advanceWallClock(Duration.ofSeconds(1));
                assertEquals(List.of(), unassigned(h, t));

                h.advanceWallClock(Duration.ofSeconds(5));
                List<RiskSignal> raised = unassigned(h, t);
                assertTrue(!raised.isEmpty(), "no event for time.quiet-after: the backlog is done, the wall clock drives again");
                assertEquals(io.bellwether.events.SignalState.RAISED, raised.get(0).getState());
                assertEquals(Instant.parse("2026-11-16T09:30:00Z"), raised.get(0).getOccurredAt(), "stamped with its due moment, not noon");
            }
        }

        @Test
        @DisplayName("should let the wall clock fire at once for a task that is current")
        void shouldFollowTheWallClockWhenCurrent() {
            try (Harness h = Harness.live(ONLY_UNASSIGNED, "2026-11-16T09:00:00Z")) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
                h.advanceWallClock(Duration.ofMinutes(31));
                assertEquals(1, unassigned(h, t).size());
            }
        }
    }

    @Nested
    @DisplayName("the aggregate stages")
    class Aggregates {
        private static final Rules REPEAT = Harness.rules("""
                defaults:
                  sla: {enabled: false}
                  aging: {enabled: false}
                  unassigned: {enabled: false}
                  noAccountOwner: {enabled: false}
                accounts:
                  acme: {owner: sam}
                """);

        @Test
        @DisplayName("should hold the facts until the ticket task ticks past them, then decide them at their own moments")
        void shouldDecideOnTheTicketTasksTicks() {
            // A minute after the last event: the task is current, so its clock (and its ticks) follow the wall clock.
            try (Harness h = Harness.live(REPEAT, "2026-11-16T09:21:00Z")) {
                h.send(ticket("A-1").created("2026-11-16T09:00:00Z").category("Email"));
                h.send(ticket("A-2").created("2026-11-16T09:10:00Z").category("Email"));
                h.send(ticket("A-3").created("2026-11-16T09:20:00Z").category("Email"));
                assertEquals(List.of(), h.signals("repeat-friction", "acme"), "no tick yet: held");
                try (var held = h.<Object>store(StoreNames.AGGREGATE_HELD).all()) {
                    assertTrue(held.hasNext(), "the facts wait for the alignment");
                }

                h.advanceWallClock(Duration.ofMillis(100));
                List<RiskSignal> raised = h.signals("repeat-friction", "acme");
                assertEquals(1, raised.size(), "the tick released them");
                assertEquals(Instant.parse("2026-11-16T09:20:00Z"), raised.get(0).getOccurredAt(), "decided at the third ticket's moment");
                try (var held = h.<Object>store(StoreNames.AGGREGATE_HELD).all()) {
                    assertTrue(!held.hasNext(), "nothing left held");
                }
            }
        }
    }
}
