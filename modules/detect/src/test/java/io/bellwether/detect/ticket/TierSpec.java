package io.bellwether.detect.ticket;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.IntakeDay;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.ActorType;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.SubjectType;
import io.bellwether.events.TicketEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Support levels: a ticket's level is its event's {@code Level} attribute when present, else its team's level (Service
 * Desk L1, Network L2, Engineering L3). TIER_BACKWARD: handed back down a level; TIER_SKIP: escalated past a level that
 * never worked it; TIER_INTAKE: the L3 team's new work mostly escalations (here: at least half, and at least 3 in 7 days).
 */
class TierSpec {
    private static final Rules RULES = Harness.rules("""
            defaults:
              sla: {enabled: false}
              aging: {enabled: false}
              unassigned: {enabled: false}
              noAccountOwner: {enabled: false}
              repeatFriction: {enabled: false}
              pingPong: {enabled: false}
            technicians:
              overload: {enabled: false}
              dependencyMagnet: {enabled: false}
              sustainedLoad: {enabled: false}
            tiers:
              attribute: Level
              teams: {Service Desk: L1, Network: L2, Engineering: L3}
              topTier: 3
              intake: {window: 7d, maxShare: 0.5, minTickets: 3}
            """);

    private static List<RiskSignal> of(Harness h, SignalKind kind, String ticketId) {
        return h.signals().stream().filter(s -> s.getKind() == kind && s.getSubject().getId().equals("test:" + ticketId)).toList();
    }

    private static TicketState state(Harness h, String ticketId) {
        return h.<TicketState>store(StoreNames.TICKET_STATE).get("test:" + ticketId);
    }

    @Test
    @DisplayName("should raise a cold hand-back when a ticket moves from L2 back to L1, and end it when it goes up again")
    void shouldFlagAHandBack() {
        try (Harness h = Harness.eventTime(RULES)) {
            Tickets t = ticket("HB-1");
            h.send(t.created("2026-11-02T09:00:00Z").team("Service Desk").assign("ann").status(StatusCategory.IN_PROGRESS));
            h.send(t.update("2026-11-02T10:00:00Z").team("Network").assign("ned"));
            h.send(t.update("2026-11-02T11:00:00Z").by("ned"));
            assertEquals(List.of(), of(h, SignalKind.TIER_BACKWARD, "HB-1"), "L1 to L2 is the way up");
            h.send(t.update("2026-11-02T12:00:00Z").team("Service Desk").assign("ann"));

            List<RiskSignal> back = of(h, SignalKind.TIER_BACKWARD, "HB-1");
            assertEquals(1, back.size(), back.toString());
            assertEquals(SignalState.RAISED, back.get(0).getState());
            assertEquals("tier-backward/ticket/test:HB-1", back.get(0).getDedupKey());
            assertTrue(back.get(0).getReason().startsWith("Handed back from L2 to L1, a cold hand-back"), back.get(0).getReason());
            assertEquals(1, state(h, "HB-1").getTier());
            assertEquals(2, state(h, "HB-1").getTierFrom());

            h.send(t.update("2026-11-02T15:00:00Z").team("Network").assign("ned"));
            back = of(h, SignalKind.TIER_BACKWARD, "HB-1");
            assertEquals(SignalState.RESOLVED, back.get(back.size() - 1).getState());
            assertEquals(List.of(), of(h, SignalKind.TIER_SKIP, "HB-1"), "L1 had worked it, so L1 to L2 skips nothing");
        }
    }

    @Test
    @DisplayName("should flag an escalation from L1 straight to L3, but not one whose L2 had worked the ticket before")
    void shouldFlagASkippedLevel() {
        try (Harness h = Harness.eventTime(RULES)) {
            Tickets skip = ticket("SK-1");
            h.send(skip.created("2026-11-02T09:00:00Z").team("Service Desk").assign("ann").status(StatusCategory.IN_PROGRESS));
            h.send(skip.update("2026-11-02T09:30:00Z").team("Engineering").assign("eve"));
            List<RiskSignal> skipped = of(h, SignalKind.TIER_SKIP, "SK-1");
            assertEquals(1, skipped.size(), skipped.toString());
            assertEquals("2", skipped.get(0).getEvidence().getFacts().get("skipped"));
            assertTrue(skipped.get(0).getReason().startsWith("Escalated from L1 to L3 without work at L2"), skipped.get(0).getReason());

            Tickets worked = ticket("SK-2");
            h.send(worked.created("2026-11-02T09:00:00Z").team("Network").assign("ned").status(StatusCategory.IN_PROGRESS));
            h.send(worked.update("2026-11-02T09:20:00Z").by("ned"));
            h.send(worked.update("2026-11-02T09:40:00Z").team("Service Desk").assign("ann"));
            h.send(worked.update("2026-11-02T10:00:00Z").team("Engineering").assign("eve"));
            assertEquals(List.of(), of(h, SignalKind.TIER_SKIP, "SK-2"), "Network (L2) worked it earlier");
            assertEquals(0b110, state(h, "SK-2").getTiersWorked(), "L1 and L2 worked it; L3 not yet (the event that moved it there was L1's)");
        }
    }

    @Test
    @DisplayName("should take the level from the event's attribute over the team's, and resolve on resolution")
    void shouldPreferTheAttribute() {
        try (Harness h = Harness.eventTime(RULES)) {
            Tickets t = ticket("AT-1");
            h.send(t.created("2026-11-02T09:00:00Z").team("Engineering").attribute("Level", "Tier 2").assign("eve").status(StatusCategory.IN_PROGRESS));
            assertEquals(2, state(h, "AT-1").getTier(), "the attribute says Tier 2, though Engineering is L3");
            h.send(t.update("2026-11-02T10:00:00Z").attribute("Level", "1"));
            assertEquals(SignalState.RAISED, of(h, SignalKind.TIER_BACKWARD, "AT-1").get(0).getState());
            h.send(t.update("2026-11-02T11:00:00Z").status(StatusCategory.RESOLVED));
            List<RiskSignal> back = of(h, SignalKind.TIER_BACKWARD, "AT-1");
            assertEquals(SignalState.RESOLVED, back.get(back.size() - 1).getState());
        }
    }

    @Test
    @DisplayName("should not move a ticket on a redelivered event, nor on a late one, nor on the customer's words")
    void shouldIgnoreDuplicatesLateEventsAndCustomers() {
        try (Harness h = Harness.eventTime(RULES)) {
            Tickets t = ticket("DL-1");
            h.send(t.created("2026-11-02T09:00:00Z").team("Network").assign("ned").status(StatusCategory.IN_PROGRESS));
            TicketEvent up = t.update("2026-11-02T10:00:00Z").team("Engineering").assign("eve").event();
            h.send(up);
            h.send(up);
            // A delivery older than the ticket's last event: a late webhook does not move the ticket back.
            h.send(t.update("2026-11-02T09:30:00Z").team("Service Desk").assign("ann"));
            assertEquals(3, state(h, "DL-1").getTier());
            assertEquals(List.of(), of(h, SignalKind.TIER_BACKWARD, "DL-1"));

            Tickets c = ticket("CU-1");
            h.send(c.created("2026-11-02T09:00:00Z").team("Service Desk").actor(ActorType.CUSTOMER).status(StatusCategory.NEW));
            h.send(c.update("2026-11-02T09:10:00Z").team("Network").assign("ned").actor(ActorType.CUSTOMER));
            List<RiskSignal> skip = of(h, SignalKind.TIER_SKIP, "CU-1");
            assertEquals(List.of(), skip, "L1 to L2 passes no level, whoever worked it");
            assertEquals(0, state(h, "CU-1").getTiersWorked(), "only the customer wrote: no level worked it");
        }
    }

    @Test
    @DisplayName("should raise TIER_INTAKE on the L3 team when most of its new work in 7 days came up from lower levels")
    void shouldFlagTheTopTiersIntake() {
        try (Harness h = Harness.eventTime(RULES)) {
            for (int i = 0; i < 3; i++) {
                Tickets t = ticket("IN-" + i);
                h.send(t.created("2026-11-0" + (2 + i) + "T09:00:00Z").team("Service Desk").assign("ann").status(StatusCategory.IN_PROGRESS));
                h.send(t.update("2026-11-0" + (2 + i) + "T11:00:00Z").team("Engineering").assign("eve"));
            }
            Tickets own = ticket("OWN-1");
            h.send(own.created("2026-11-05T09:00:00Z").team("Engineering").assign("eve").status(StatusCategory.IN_PROGRESS));

            TeamState engineering = h.<TeamState>store(StoreNames.TEAM_STATE).get("Engineering");
            assertEquals(4, engineering.getIntake().stream().mapToInt(IntakeDay::getTotal).sum());
            assertEquals(3, engineering.getIntake().stream().mapToInt(IntakeDay::getEscalated).sum());
            List<RiskSignal> intake = h.signals().stream().filter(s -> s.getKind() == SignalKind.TIER_INTAKE).toList();
            assertEquals(2, intake.size(), intake.toString());
            assertEquals(SignalState.RAISED, intake.get(0).getState());
            assertEquals("ERROR", intake.get(0).getSeverity().name(), "3 of 3: twice the 50 % bar");
            assertEquals(SignalState.UPDATED, intake.get(1).getState(), "its own ticket made it 3 of 4");
            assertEquals("WARNING", intake.get(1).getSeverity().name());
            assertEquals(SubjectType.TEAM, intake.get(0).getSubject().getType());
            assertEquals("Engineering", intake.get(0).getSubject().getId());
            assertEquals("2026-11-04T11:00:00Z", intake.get(0).getOccurredAt().toString(), "on the third escalation (3 of 3)");

            // Eight days after the last escalation the window holds none of them.
            h.watermark("2026-11-12T00:00:01Z");
            List<RiskSignal> later = h.signals().stream().filter(s -> s.getKind() == SignalKind.TIER_INTAKE).toList();
            assertEquals(SignalState.RESOLVED, later.get(later.size() - 1).getState(), later.toString());
        }
    }
}
