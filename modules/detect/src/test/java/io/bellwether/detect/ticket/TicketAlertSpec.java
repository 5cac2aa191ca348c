package io.bellwether.detect.ticket;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.StatusCategory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consolidated ticket alert: one dedup key per ticket at risk, on its own topic, with the fine signals as evidence. */
class TicketAlertSpec {
    private static final String QUIET = """
            defaults:
              unassigned: {enabled: false}
              sla: {enabled: false}
              aging: {enabled: false}
              pingPong: {enabled: false}
              noAccountOwner: {enabled: false}
              repeatFriction: {enabled: false}
            """;
    private static final Rules CALIBRATED = Harness.rules(QUIET + """
              ticketAlert:
                raiseOn: []
                likelyToMiss: {P1: 0m, P3: 122h}
                basis: {P3: "99% of P3 tickets that made SLA were resolved within 122h"}
            """);

    private static List<String> transitions(List<RiskSignal> alerts) {
        return alerts.stream().map(s -> s.getState() + " " + s.getSeverity() + " " + s.getOccurredAt().toString().substring(5, 16)).toList();
    }

    private static SignalBook book(Harness h, Tickets t) {
        TicketState state = h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key());
        return SignalLifecycle.find(state.getSignals(), TicketAlertRule.RULE_ID + "/ticket/" + t.key());
    }

    @Test
    @DisplayName("should raise once when a ticket is open past its priority's calibrated threshold, escalate at twice it, and resolve when resolved")
    void shouldRaiseOnCalibratedAge() {
        try (Harness h = Harness.eventTime(CALIBRATED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            h.watermark("2026-11-21T10:59:00Z");
            assertEquals(List.of(), h.alerts(), "121h59m open: under 122h");

            h.watermark("2026-11-21T12:00:00Z");
            List<RiskSignal> raised = h.alerts();
            assertEquals(List.of("RAISED WARNING 11-21T11:00"), transitions(raised), "raised at opening + 122h exactly, on event time");
            RiskSignal alert = raised.get(0);
            assertEquals(SignalKind.TICKET_AT_RISK, alert.getKind());
            assertEquals("ticket-at-risk/ticket/" + t.key(), alert.getDedupKey());
            assertEquals("At risk: open 122h; 99% of P3 tickets that made SLA were resolved within 122h, P3 ticket of ACME Corp, team Service Desk",
                    alert.getReason());
            assertEquals("LIKELY_TO_MISS", alert.getEvidence().getFacts().get("evidence"));
            assertTrue(book(h, t).getActive(), "the ticket's state keeps the alert's book");

            h.watermark("2026-11-26T14:00:00Z");
            assertEquals(List.of("UPDATED ERROR 11-26T13:00"), transitions(h.alerts()), "ERROR at twice the threshold (244h)");

            h.send(t.update("2026-11-27T09:00:00Z").status(StatusCategory.RESOLVED));
            assertEquals(List.of("RESOLVED ERROR 11-27T09:00"), transitions(h.alerts()));
            assertFalse(book(h, t).getActive());
            assertTrue(h.signals().stream().noneMatch(s -> s.getKind() == SignalKind.TICKET_AT_RISK),
                    "the consolidated alert is not on the fine-grained topic");
        }
    }

    @Test
    @DisplayName("should raise a P1 at once when its threshold is zero, and never on age for a priority the rules do not name")
    void shouldRaiseAtOnceAndOnlyForNamedPriorities() {
        try (Harness h = Harness.eventTime(CALIBRATED)) {
            Tickets urgent = ticket("T-1");
            Tickets low = ticket("T-2");
            h.send(urgent.created("2026-11-16T09:00:00Z").priority(Priority.P1));
            h.send(low.created("2026-11-16T09:00:00Z").priority(Priority.P4));
            h.watermark("2026-12-30T00:00:00Z");
            List<RiskSignal> alerts = h.alerts();
            assertEquals(List.of("RAISED ERROR 11-16T09:00"), transitions(alerts));
            assertEquals(urgent.key(), alerts.get(0).getSubject().getId());
        }
    }

    @Test
    @DisplayName("should take the limit of the weekday the ticket was opened on, in its calendar's zone")
    void shouldUseTheOpeningDaysLimit() {
        Rules rules = Harness.rules("""
                calendars:
                  berlin: {zone: Europe/Berlin, hours: {mon-fri: "08:00-18:00"}, holidays: []}
                """ + QUIET + """
                  calendar: berlin
                  calendarByPriority: {}
                  ticketAlert:
                    raiseOn: []
                    likelyToMiss: {P3: {MONDAY: 80h, THURSDAY: 120h}}
                    basis: {P3 THURSDAY: "opened on a Thursday: 99% of on-time P3 tickets were resolved within 120h"}
                """);
        try (Harness h = Harness.eventTime(rules)) {
            Tickets monday = ticket("T-1");
            Tickets thursday = ticket("T-2");
            Tickets sunday = ticket("T-3");
            h.send(monday.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            h.send(thursday.created("2026-11-19T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            // 23:30 UTC on Sunday is 00:30 on Monday in Berlin: a Monday ticket
            h.send(sunday.created("2026-11-22T23:30:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            h.watermark("2026-11-30T00:00:00Z");
            List<RiskSignal> alerts = h.alerts();
            assertEquals(List.of(monday.key() + " 11-19T17:00", thursday.key() + " 11-24T09:00", sunday.key() + " 11-26T07:30"),
                    alerts.stream().filter(a -> a.getState() == io.bellwether.events.SignalState.RAISED)
                            .map(a -> a.getSubject().getId() + " " + a.getOccurredAt().toString().substring(5, 16)).sorted().toList());
            assertTrue(alerts.stream().filter(a -> a.getSubject().getId().equals(thursday.key())).findFirst().orElseThrow()
                    .getReason().contains("opened on a Thursday"), "the day's own basis is quoted");
        }
    }

    @Test
    @DisplayName("should raise on a raising kind only, carry the other signals as evidence, and stay until the ticket is resolved")
    void shouldConsolidateEvidence() {
        Rules rules = Harness.rules("""
                defaults:
                  aging: {enabled: false}
                  pingPong: {enabled: false}
                  noAccountOwner: {enabled: false}
                  repeatFriction: {enabled: false}
                  sla: {warnAt: [0.9], response: {default: 40h}}
                  ticketAlert: {raiseOn: [SLA_BREACH]}
                """);
        try (Harness h = Harness.eventTime(rules)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T16:00:00Z");
            assertTrue(h.signals().stream().anyMatch(s -> s.getKind() == SignalKind.UNASSIGNED), "unassigned after 30m");
            assertEquals(List.of(), h.alerts(), "UNASSIGNED and SLA_RISK add evidence but do not raise");

            h.watermark("2026-11-16T17:30:00Z");
            List<RiskSignal> raised = h.alerts();
            assertEquals(List.of("RAISED CRITICAL 11-16T17:00"), transitions(raised), "the resolution SLA (8 business hours) breached");
            var facts = raised.get(0).getEvidence().getFacts();
            assertEquals("SLA_BREACH,UNASSIGNED", facts.get("evidence"), "the 90 % risk is superseded by the breach");
            assertEquals("CRITICAL", facts.get("evidence.sla-resolution-breach"));
            assertNotNull(facts.get("evidence.unassigned"));
            assertTrue(raised.get(0).getReason().startsWith("At risk: Resolution SLA breached"), raised.get(0).getReason());

            h.send(t.update("2026-11-16T17:40:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            h.send(t.update("2026-11-16T17:50:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            assertEquals(List.of(), h.alerts(), "assignment drops one piece of evidence; the breach still holds, at most hourly fact updates");

            h.send(t.update("2026-11-17T10:00:00Z").status(StatusCategory.RESOLVED));
            assertEquals(List.of("RESOLVED CRITICAL 11-17T10:00"), transitions(h.alerts()));
            assertEquals(1, h.signals().stream().filter(s -> s.getKind() == SignalKind.SLA_BREACH).map(RiskSignal::getDedupKey).distinct().count());
        }
    }

    @Test
    @DisplayName("should raise once per ticket: a duplicate event or a reopen does not raise the age alert again")
    void shouldRaiseOncePerTicket() {
        try (Harness h = Harness.eventTime(CALIBRATED)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS).sourceEventId("e1"));
            h.watermark("2026-11-22T00:00:00Z");
            assertEquals(1, h.alerts().size());
            Tickets.Step resolved = t.update("2026-11-22T08:00:00Z").status(StatusCategory.RESOLVED).sourceEventId("e2");
            var event = resolved.event();
            h.send(event);
            h.send(event);
            assertEquals(List.of("RESOLVED WARNING 11-22T08:00"), transitions(h.alerts()));
            h.send(t.update("2026-11-22T09:00:00Z").type(io.bellwether.events.TicketEventType.REOPENED).status(StatusCategory.IN_PROGRESS)
                    .sourceEventId("e3"));
            h.watermark("2026-11-30T00:00:00Z");
            assertEquals(List.of(), h.alerts(), "reopened, still past 122h, but already alerted for its age");
            assertEquals(1, book(h, t).getIncarnation());
        }
    }

    @Test
    @DisplayName("should raise a reopened ticket again when a raising kind holds")
    void shouldRaiseAgainOnRaisingEvidence() {
        Rules rules = Harness.rules(QUIET + """
                  reopenLoop: {reopens: 1}
                  ticketAlert:
                    raiseOn: [REOPEN_LOOP]
                    likelyToMiss: {P3: 122h}
                """);
        try (Harness h = Harness.eventTime(rules)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").assign("alice").status(StatusCategory.IN_PROGRESS));
            h.watermark("2026-11-22T00:00:00Z");
            h.send(t.update("2026-11-22T08:00:00Z").status(StatusCategory.RESOLVED));
            h.send(t.update("2026-11-22T09:00:00Z").type(io.bellwether.events.TicketEventType.REOPENED).status(StatusCategory.IN_PROGRESS));
            List<RiskSignal> alerts = h.alerts();
            assertEquals(List.of("RAISED WARNING 11-21T11:00", "RESOLVED WARNING 11-22T08:00", "RAISED WARNING 11-22T09:00"),
                    transitions(alerts));
            assertTrue(alerts.get(2).getSignalId().endsWith("#2.1"), "a new incarnation of the same dedup key");
            assertTrue(alerts.get(2).getEvidence().getFacts().get("evidence").contains("REOPEN_LOOP"));
        }
    }
}
