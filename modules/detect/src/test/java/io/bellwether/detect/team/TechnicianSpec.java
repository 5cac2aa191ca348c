package io.bellwether.detect.team;

import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TechnicianSpec {
    private static final io.bellwether.detect.rules.Rules RULES = Harness.rules("""
            defaults:
              unassigned: {enabled: false}
              sla: {enabled: false}
              aging: {enabled: false}
              noAccountOwner: {enabled: false}
              repeatFriction: {enabled: false}
            """);

    private static List<RiskSignal> of(Harness h, SignalKind kind, String technician) {
        return h.signals().stream().filter(s -> s.getKind() == kind && s.getSubject().getId().equals(technician)).toList();
    }

    @Test
    @DisplayName("should flag a technician holding most of the team's urgent work, and clear it when the work is spread")
    void shouldFlagOverload() {
        try (Harness h = Harness.eventTime(RULES)) {
            for (int i = 0; i < 3; i++) {
                h.send(ticket("D-" + i).created("2026-11-16T09:0" + i + ":00Z").priority(Priority.P2).assign("dana").status(StatusCategory.IN_PROGRESS));
            }
            h.send(ticket("B-1").created("2026-11-16T09:05:00Z").priority(Priority.P2).assign("bob").status(StatusCategory.IN_PROGRESS));
            h.send(ticket("L-1").created("2026-11-16T09:06:00Z").priority(Priority.P4).assign("bob").status(StatusCategory.IN_PROGRESS));

            List<RiskSignal> overload = of(h, SignalKind.TECHNICIAN_OVERLOAD, "dana");
            assertEquals(1, overload.size());
            assertEquals("3", overload.get(0).getEvidence().getFacts().get("urgentHeld"));
            assertEquals("4", overload.get(0).getEvidence().getFacts().get("teamUrgent"));
            assertEquals("technician-overload/technician/Service Desk/dana", overload.get(0).getDedupKey());

            h.send(ticket("D-2").update("2026-11-16T10:00:00Z").assign("bob"));
            List<RiskSignal> after = of(h, SignalKind.TECHNICIAN_OVERLOAD, "dana");
            assertEquals(SignalState.RESOLVED, after.get(after.size() - 1).getState());
            assertTrue(of(h, SignalKind.TECHNICIAN_OVERLOAD, "bob").isEmpty(), "bob now holds 2 of 4: not disproportionate");
        }
    }

    @Test
    @DisplayName("should flag a dependency magnet: one technician pulled into escalations at three different accounts within a week")
    void shouldFlagDependencyMagnet() {
        try (Harness h = Harness.eventTime(RULES)) {
            String[] accounts = {"acme", "globex", "initech"};
            for (int i = 0; i < 3; i++) {
                Tickets t = ticket("E-" + i);
                h.send(t.created("2026-11-1" + (6 + i) + "T09:00:00Z").account(accounts[i]).priority(Priority.P3).assign("dana")
                        .status(StatusCategory.IN_PROGRESS));
                h.send(t.update("2026-11-1" + (6 + i) + "T10:00:00Z").priority(Priority.P1));
            }
            List<RiskSignal> magnet = of(h, SignalKind.DEPENDENCY_MAGNET, "dana");
            assertEquals(1, magnet.size());
            assertEquals(List.of("acme", "globex", "initech"), magnet.get(0).getEvidence().getRelatedAccounts());
            h.watermark("2026-11-24T10:00:01Z");
            List<RiskSignal> later = of(h, SignalKind.DEPENDENCY_MAGNET, "dana");
            assertEquals(SignalState.RESOLVED, later.get(later.size() - 1).getState(), "the first escalation left the 7-day window");
        }
    }
}
