package io.bellwether.detect.ticket;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.ActorType;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.OwnershipGapType;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEventType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Aging, reopen loops and reassignment ping-pong: the per-ticket rules besides SLA and unassigned. */
class AgingReopenPingPongSpec {
    private static final Rules ONLY_TICKET_BEHAVIOUR = Harness.rules("""
            defaults:
              unassigned: {enabled: false}
              sla: {enabled: false}
              noAccountOwner: {enabled: false}
              repeatFriction: {enabled: false}
            """);

    private static List<String> lifecycle(Harness h, String rule, Tickets t) {
        return h.signals(rule, t.key()).stream()
                .map(s -> s.getState() + " " + s.getSeverity() + " " + s.getOccurredAt().toString().substring(5, 16)).toList();
    }

    @Nested
    class Aging {
        @Test
        @DisplayName("should raise after N business hours without agent activity, and resolve on the next agent action")
        void shouldRaiseWithoutActivityAndResolveOnActivity() {
            try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2).assign("alice").status(StatusCategory.IN_PROGRESS));
                h.watermark("2026-11-16T14:00:00Z");
                h.send(t.update("2026-11-16T14:30:00Z").type(TicketEventType.COMMENTED));
                assertEquals(List.of("RAISED WARNING 11-16T13:00", "RESOLVED WARNING 11-16T14:30"), lifecycle(h, AgingRule.NO_ACTIVITY, t),
                        "P2: 4 business hours");
            }
        }

        @Test
        @DisplayName("should not count a customer's reply as agent activity")
        void shouldIgnoreCustomerActivity() {
            try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2).assign("alice").status(StatusCategory.IN_PROGRESS));
                h.send(t.update("2026-11-16T12:00:00Z").type(TicketEventType.COMMENTED).actor(ActorType.CUSTOMER));
                h.watermark("2026-11-16T13:30:00Z");
                assertEquals(List.of("RAISED WARNING 11-16T13:00"), lifecycle(h, AgingRule.NO_ACTIVITY, t));
            }
        }

        @Test
        @DisplayName("should not age a ticket while it waits on the customer, and count quiet time from the end of the wait")
        void shouldNotAgeWhileWaiting() {
            try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2).assign("alice").status(StatusCategory.IN_PROGRESS));
                h.send(t.update("2026-11-16T10:00:00Z").status(StatusCategory.WAITING_ON_CUSTOMER));
                h.watermark("2026-11-17T11:00:00Z");
                assertEquals(List.of(), lifecycle(h, AgingRule.NO_ACTIVITY, t));
                h.send(t.update("2026-11-17T11:00:00Z").status(StatusCategory.IN_PROGRESS).actor(ActorType.CUSTOMER));
                h.watermark("2026-11-17T16:00:00Z");
                assertEquals(List.of("RAISED WARNING 11-17T15:00"), lifecycle(h, AgingRule.NO_ACTIVITY, t), "4h after the wait ended");
            }
        }

        @Test
        @DisplayName("should flag a ticket still open at the end of its 5th working day, and escalate at the 10th")
        void shouldFlagCarryOver() {
            try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T10:00:00Z").priority(Priority.P4).assign("alice").status(StatusCategory.IN_PROGRESS));
                h.watermark("2026-12-01T00:00:00Z");
                assertEquals(List.of("RAISED WARNING 11-23T18:00", "UPDATED ERROR 11-30T18:00"), lifecycle(h, AgingRule.OPEN_TOO_LONG, t));
            }
        }
    }

    @Nested
    class ReopenLoop {
        @Test
        @DisplayName("should raise on the second reopen, escalate on the third, and resolve when the ticket is closed")
        void shouldRaiseOnRepeatedReopens() {
            try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
                h.send(t.update("2026-11-16T10:00:00Z").status(StatusCategory.RESOLVED));
                h.send(t.update("2026-11-16T11:00:00Z").status(StatusCategory.OPEN).type(TicketEventType.REOPENED).actor(ActorType.CUSTOMER));
                h.send(t.update("2026-11-16T12:00:00Z").status(StatusCategory.RESOLVED));
                h.send(t.update("2026-11-16T13:00:00Z").status(StatusCategory.OPEN).actor(ActorType.CUSTOMER));
                h.send(t.update("2026-11-16T14:00:00Z").status(StatusCategory.RESOLVED));
                h.send(t.update("2026-11-16T15:00:00Z").status(StatusCategory.OPEN).actor(ActorType.CUSTOMER));
                h.send(t.update("2026-11-16T16:00:00Z").status(StatusCategory.CLOSED));
                assertEquals(List.of("RAISED WARNING 11-16T13:00", "UPDATED ERROR 11-16T15:00", "RESOLVED ERROR 11-16T16:00"),
                        lifecycle(h, ReopenLoopRule.RULE_ID, t));
                assertEquals(3, h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getReopenCount());
            }
        }

        @Test
        @DisplayName("should end the loop once the ticket has stayed resolved for the quiet period")
        void shouldResolveAfterQuietPeriod() {
            try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
                for (int i = 0; i < 2; i++) {
                    h.send(t.update("2026-11-16T1" + (2 * i) + ":00:00Z").status(StatusCategory.RESOLVED));
                    h.send(t.update("2026-11-16T1" + (2 * i + 1) + ":00:00Z").status(StatusCategory.OPEN).actor(ActorType.CUSTOMER));
                }
                h.send(t.update("2026-11-16T15:00:00Z").status(StatusCategory.RESOLVED));
                h.watermark("2026-11-20T00:00:00Z");
                assertEquals(List.of("RAISED WARNING 11-16T13:00", "RESOLVED WARNING 11-19T15:00"), lifecycle(h, ReopenLoopRule.RULE_ID, t));
            }
        }
    }

    @Nested
    class PingPong {
        @Test
        @DisplayName("should raise when a ticket bounces back to an earlier owner, with the chain on the ownership-gaps topic")
        void shouldRaiseOnBounce() {
            try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
                h.send(t.update("2026-11-16T10:00:00Z").assign("bob").team("Network"));
                h.send(t.update("2026-11-16T11:00:00Z").assign("alice").team("Service Desk"));

                List<RiskSignal> signals = h.signals(PingPongRule.RULE_ID, t.key());
                assertEquals(1, signals.size());
                assertEquals(Severity.WARNING, signals.get(0).getSeverity());
                assertEquals("alice > bob > alice", signals.get(0).getEvidence().getFacts().get("people"));
                OwnershipGap gap = h.gaps().stream().filter(g -> g.getGapType() == OwnershipGapType.PING_PONG).findFirst().orElseThrow();
                assertEquals("alice", gap.getCurrentOwner());
                assertEquals(List.of("person:null>alice", "team:null>Service Desk", "person:alice>bob", "team:Service Desk>Network",
                                "person:bob>alice", "team:Network>Service Desk"),
                        gap.getOwnerHistory().stream().map(c -> c.getLevel() + ":" + c.getFrom() + ">" + c.getTo()).toList());
            }
        }

        private Rules pingPong(String settings) {
            return Harness.rules("""
                    defaults:
                      unassigned: {enabled: false}
                      sla: {enabled: false}
                      aging: {enabled: false}
                      noAccountOwner: {enabled: false}
                      repeatFriction: {enabled: false}
                      ticketAlert: {enabled: false}
                      pingPong: %s
                    """.formatted(settings));
        }

        /** alice > bob > alice inside one team; Service Desk > Network > Service Desk; Service Desk > Network > Storage > Service Desk. */
        private List<String> raisedFor(Rules rules) {
            try (Harness h = Harness.eventTime(rules)) {
                Tickets person = ticket("PERSON");
                h.send(person.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
                h.send(person.update("2026-11-16T10:00:00Z").assign("bob"));
                h.send(person.update("2026-11-16T11:00:00Z").assign("alice"));
                Tickets team = ticket("TEAM");
                h.send(team.created("2026-11-16T09:00:00Z").status(StatusCategory.IN_PROGRESS));
                h.send(team.update("2026-11-16T10:00:00Z").team("Network"));
                h.send(team.update("2026-11-16T11:00:00Z").team("Service Desk"));
                Tickets cycle = ticket("CYCLE");
                h.send(cycle.created("2026-11-16T09:00:00Z").status(StatusCategory.IN_PROGRESS));
                h.send(cycle.update("2026-11-16T10:00:00Z").team("Network"));
                h.send(cycle.update("2026-11-16T11:00:00Z").team("Storage"));
                h.send(cycle.update("2026-11-16T12:00:00Z").team("Service Desk"));
                return h.signals().stream().filter(s -> s.getRuleId().equals(PingPongRule.RULE_ID) && s.getState() == SignalState.RAISED)
                        .map(s -> s.getSubject().getId().substring(s.getSubject().getId().indexOf(':') + 1)).sorted().toList();
            }
        }

        @Test
        @DisplayName("should count only team bounces by default, longer cycles included; a person hand-back inside a team is routine")
        void shouldCountTeamBouncesByDefault() {
            assertEquals(List.of("CYCLE", "TEAM"), raisedFor(pingPong("{}")));
        }

        @Test
        @DisplayName("should count what the rules choose: people, both, or only direct A > B > A returns")
        void shouldCountWhatTheRulesChoose() {
            assertEquals(List.of("PERSON"), raisedFor(pingPong("{count: [person]}")));
            assertEquals(List.of("CYCLE", "PERSON", "TEAM"), raisedFor(pingPong("{count: [team, person]}")));
            assertEquals(List.of("TEAM"), raisedFor(pingPong("{longerCycles: false}")));
        }

        @Test
        @DisplayName("should refuse a count that is not team or person")
        void shouldRefuseAnUnknownLevel() {
            io.bellwether.detect.rules.RulesException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.bellwether.detect.rules.RulesException.class, () -> pingPong("{count: [queue]}"));
            assertTrue(e.getMessage().contains("team, person or both"), e.getMessage());
        }

        @Test
        @DisplayName("should raise after too many handoffs even without a bounce when the rules ask, and settle after a day without one")
        void shouldRaiseOnTooManyHandoffsAndSettle() {
            try (Harness h = Harness.eventTime(pingPong("{maxReassignments: 4}"))) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").assign("p0").status(StatusCategory.IN_PROGRESS));
                for (int i = 1; i <= 4; i++) {
                    h.send(t.update("2026-11-16T1" + i + ":00:00Z").assign("p" + i));
                }
                h.watermark("2026-11-17T15:00:00Z");
                assertEquals(List.of("RAISED WARNING 11-16T14:00", "RESOLVED WARNING 11-17T14:00"), lifecycle(h, PingPongRule.RULE_ID, t));
                assertTrue(h.signals(PingPongRule.RULE_ID, t.key()).get(1).getReason().startsWith("Settled with p4"));
            }
        }
    }

    @Test
    @DisplayName("should forget a closed ticket after its retention")
    void shouldForgetClosedTickets() {
        try (Harness h = Harness.eventTime(ONLY_TICKET_BEHAVIOUR)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            h.send(t.update("2026-11-16T10:00:00Z").status(StatusCategory.CLOSED));
            assertEquals(Instant.parse("2026-11-23T10:00:00Z").toEpochMilli(),
                    h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getNextDueAt(), "closed retention 7 days");
            h.watermark("2026-11-23T10:00:01Z");
            assertEquals(null, h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()));
            assertTrue(h.signals().stream().noneMatch(s -> s.getState() == SignalState.RAISED));
        }
    }
}
