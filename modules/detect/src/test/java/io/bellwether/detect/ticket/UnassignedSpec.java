package io.bellwether.detect.ticket;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.OwnershipGapType;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unassigned rule with the built-in thresholds: P2 30m, P3 1h, business hours Mon-Fri 08:00-18:00 UTC. */
class UnassignedSpec {
    private static final String RULE = UnassignedRule.RULE_ID;
    /** Only the rule under specification is on. */
    private static final io.bellwether.detect.rules.Rules ONLY_UNASSIGNED = Harness.rules("""
            defaults:
              sla: {enabled: false}
              aging: {enabled: false}
              noAccountOwner: {enabled: false}
            """);

    @Test
    @DisplayName("should not raise while the ticket has been unassigned for less than the threshold")
    void shouldNotRaiseBeforeThreshold() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.send(t.update("2026-11-16T09:29:00Z").status(StatusCategory.OPEN));
            h.watermark("2026-11-16T09:29:59Z");

            assertEquals(List.of(), h.signals(RULE, t.key()));
            TicketState state = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
            assertEquals(Instant.parse("2026-11-16T09:00:00Z").toEpochMilli(), state.getUnassignedSince());
            assertEquals(Instant.parse("2026-11-16T09:30:00Z").toEpochMilli(), state.getNextDueAt(), "due exactly at the threshold");
        }
    }

    @Test
    @DisplayName("should raise once when a resent event (same id, later time) is the record that passes the threshold")
    void shouldRaiseOnceWhenADuplicatePassesTheThreshold() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2).sourceEventId("e-1"));
            // A webhook retry of the same event, stamped later: a duplicate, but time has passed the 09:30 threshold.
            h.send(t.update("2026-11-16T09:45:00Z").sourceEventId("e-1"));
            h.send(t.update("2026-11-16T10:00:00Z").status(StatusCategory.OPEN));

            List<RiskSignal> transitions = h.signals(RULE, t.key());
            List<RiskSignal> raises = transitions.stream().filter(s -> s.getState() == SignalState.RAISED).toList();
            assertEquals(1, raises.size(), "the raise decided while handling the duplicate is kept, not decided and published again: "
                    + transitions.stream().map(RiskSignal::getSignalId).toList());
            assertEquals(Instant.parse("2026-11-16T09:30:00Z"), raises.get(0).getOccurredAt());
            assertEquals(transitions.size(), transitions.stream().map(RiskSignal::getSignalId).distinct().count(), "no transition twice");
            SignalBook book = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getSignals().get(0);
            assertTrue(book.getEmitted());
            assertEquals(transitions.size(), book.getSequence());
        }
    }

    @Test
    @DisplayName("should raise at the moment the threshold passes, stamped with that moment, when event time passes it")
    void shouldRaiseWhenEventTimePassesThreshold() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.send(ticket("OTHER").created("2026-11-16T09:31:00Z").assign("bob"));

            List<RiskSignal> raised = h.signals(RULE, t.key());
            assertEquals(1, raised.size());
            RiskSignal signal = raised.get(0);
            assertEquals(SignalState.RAISED, signal.getState());
            assertEquals(SignalKind.UNASSIGNED, signal.getKind());
            assertEquals(Severity.WARNING, signal.getSeverity());
            assertEquals(Instant.parse("2026-11-16T09:30:00Z"), signal.getOccurredAt());
            assertEquals("unassigned/ticket/test:T-1", signal.getDedupKey());
            assertEquals("unassigned/ticket/test:T-1#1.1", signal.getSignalId());
            assertEquals("acme", signal.getAccountId());
            assertEquals("30m", signal.getEvidence().getThresholds().get("threshold"));
            assertTrue(signal.getReason().startsWith("Unassigned for 30m of business time (threshold 30m), P2 ticket of ACME Corp"),
                    signal.getReason());

            SignalBook book = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getSignals().get(0);
            assertEquals("unassigned/ticket/test:T-1", book.getDedupKey());
            assertTrue(book.getActive());
            assertTrue(book.getEmitted());
            assertEquals(Instant.parse("2026-11-16T10:00:00Z").toEpochMilli(),
                    h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getNextDueAt(), "next: ERROR at twice the threshold");
        }
    }

    @Test
    @DisplayName("should raise on a quiet partition when only the wall clock passes the threshold (live)")
    void shouldRaiseFromWallClockWithoutFurtherEvents() {
        try (Harness h = Harness.live(ONLY_UNASSIGNED, "2026-11-16T09:00:00Z")) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.advanceWallClock(Duration.ofMinutes(29));
            assertEquals(List.of(), h.signals(RULE, t.key()));

            h.advanceWallClock(Duration.ofMinutes(2));
            List<RiskSignal> raised = h.signals(RULE, t.key());
            assertEquals(1, raised.size());
            assertEquals(Instant.parse("2026-11-16T09:30:00Z"), raised.get(0).getOccurredAt(), "stamped with the due moment, not the tick");
        }
    }

    @Test
    @DisplayName("should move time on a replay's typed clock tick, and skip and count a null value instead of taking it for one")
    void shouldTickOnClockTicksOnlyAndCountNullValues() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.tombstone("2026-11-16T11:00:00Z");

            assertEquals(List.of(), h.signals(RULE, t.key()), "a null value is no clock");
            assertEquals(1, h.metrics().counter("bellwether.detect.events{outcome=skipped-null}").getCount());
            TicketState held = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
            assertEquals(Instant.parse("2026-11-16T09:30:00Z").toEpochMilli(), held.getNextDueAt(), "still waiting for its due moment");

            h.watermark("2026-11-16T11:00:00Z");
            List<RiskSignal> raised = h.signals(RULE, t.key());
            assertEquals(SignalState.RAISED, raised.get(0).getState(), "the tick fired what was due: " + raised);
            assertEquals(Instant.parse("2026-11-16T09:30:00Z"), raised.get(0).getOccurredAt());
            assertEquals(true, h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getSignals().get(0).getActive());
        }
    }

    @Test
    @DisplayName("should resolve when someone is assigned, on both the signals and the ownership-gaps topic")
    void shouldResolveOnAssignment() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T09:45:00Z");
            h.send(t.update("2026-11-16T09:50:00Z").assign("alice"));

            List<RiskSignal> lifecycle = h.signals(RULE, t.key());
            assertEquals(List.of(SignalState.RAISED, SignalState.RESOLVED), lifecycle.stream().map(RiskSignal::getState).toList());
            RiskSignal resolved = lifecycle.get(1);
            assertEquals(Instant.parse("2026-11-16T09:50:00Z"), resolved.getOccurredAt());
            assertEquals("Assigned to alice", resolved.getReason());
            assertEquals(lifecycle.get(0).getDedupKey(), resolved.getDedupKey());
            assertEquals("unassigned/ticket/test:T-1#1.2", resolved.getSignalId());

            List<OwnershipGap> gaps = h.gaps();
            assertEquals(2, gaps.size());
            assertEquals(OwnershipGapType.UNASSIGNED, gaps.get(0).getGapType());
            assertEquals(Instant.parse("2026-11-16T09:00:00Z"), gaps.get(0).getGapSince());
            assertEquals(SignalState.RESOLVED, gaps.get(1).getState());
            assertEquals("alice", gaps.get(1).getCurrentOwner());

            TicketState state = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
            assertNull(state.getUnassignedSince());
            assertEquals(false, state.getSignals().get(0).getActive());
        }
    }

    @Test
    @DisplayName("should never raise when the ticket is assigned before the threshold")
    void shouldNotRaiseWhenAssignedInTime() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.send(t.update("2026-11-16T09:10:00Z").assign("alice"));
            h.watermark("2026-11-16T17:00:00Z");

            assertEquals(List.of(), h.signals(RULE, t.key()));
        }
    }

    @Test
    @DisplayName("should count a retried delivery of the same vendor event once")
    void shouldIgnoreDuplicateDelivery() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            TicketEvent unassign = t.update("2026-11-16T09:10:00Z").assign(null).sourceEventId("delivery-7").event();
            h.send(unassign);
            TicketState before = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
            h.send(unassign);
            h.send(unassign);

            assertEquals(2, h.metrics().counter("bellwether.detect.events{outcome=duplicate}").getCount());
            assertEquals(2, h.metrics().counter("bellwether.detect.events{outcome=applied}").getCount());
            assertEquals(before, h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()), "state untouched by the duplicates");
        }
    }

    @Test
    @DisplayName("should keep the newest snapshot when an older event arrives late, and not raise on its stale 'unassigned'")
    void shouldNotRollBackOnOutOfOrderEvent() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            TicketEvent earlier = t.update("2026-11-16T09:05:00Z").status(StatusCategory.OPEN).event();
            h.send(t.update("2026-11-16T09:20:00Z").assign("alice"));
            h.send(earlier);
            h.watermark("2026-11-16T12:00:00Z");

            assertEquals(List.of(), h.signals(RULE, t.key()));
            TicketState state = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
            assertEquals("alice", state.getAssignee());
            assertEquals(Instant.parse("2026-11-16T09:20:00Z").toEpochMilli(), state.getLastEventAt());
            assertEquals(1, h.metrics().counter("bellwether.detect.events{outcome=late}").getCount());
        }
    }

    @Test
    @DisplayName("should measure the threshold in business hours: Friday 17:30 plus 1h is Monday 08:30")
    void shouldMeasureInBusinessHoursOverTheWeekend() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-20T17:30:00Z").priority(Priority.P3));
            h.watermark("2026-11-22T23:59:00Z");
            assertEquals(List.of(), h.signals(RULE, t.key()), "nothing over the weekend");

            h.watermark("2026-11-23T08:31:00Z");
            List<RiskSignal> raised = h.signals(RULE, t.key());
            assertEquals(1, raised.size());
            assertEquals(Instant.parse("2026-11-23T08:30:00Z"), raised.get(0).getOccurredAt());
        }
    }

    @Test
    @DisplayName("should go from WARNING to ERROR at twice the threshold, as an update of the same signal")
    void shouldEscalateSeverityAtTwiceThreshold() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T10:05:00Z");

            List<RiskSignal> lifecycle = h.signals(RULE, t.key());
            assertEquals(List.of(SignalState.RAISED, SignalState.UPDATED), lifecycle.stream().map(RiskSignal::getState).toList());
            assertEquals(Severity.ERROR, lifecycle.get(1).getSeverity());
            assertEquals(Instant.parse("2026-11-16T10:00:00Z"), lifecycle.get(1).getOccurredAt());
            assertEquals(2, lifecycle.get(1).getSequence());
        }
    }

    @Test
    @DisplayName("should resolve when the ticket is closed while still unassigned")
    void shouldResolveWhenClosedUnassigned() {
        try (Harness h = Harness.eventTime(ONLY_UNASSIGNED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T09:40:00Z");
            h.send(t.update("2026-11-16T09:45:00Z").status(StatusCategory.CANCELLED));

            List<RiskSignal> lifecycle = h.signals(RULE, t.key());
            assertEquals(SignalState.RESOLVED, lifecycle.get(lifecycle.size() - 1).getState());
            assertEquals("Ticket cancelled before anyone was assigned", lifecycle.get(lifecycle.size() - 1).getReason());
        }
    }
}
