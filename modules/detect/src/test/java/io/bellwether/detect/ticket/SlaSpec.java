package io.bellwether.detect.ticket;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.ClockState;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SLA clocks in business time. Built-in P2 targets: response 1h, resolution 8h; business hours Mon-Fri
 * 08:00-18:00 UTC unless a spec says otherwise.
 */
class SlaSpec {
    private static final String ONLY_SLA = """
            defaults:
              unassigned: {enabled: false}
              aging: {enabled: false}
              noAccountOwner: {enabled: false}
              reopenLoop: {enabled: false}
              pingPong: {enabled: false}
              repeatFriction: {enabled: false}
            """;

    private static Rules rules(String extra) {
        return Harness.rules(ONLY_SLA + extra);
    }

    private static List<RiskSignal> resolution(Harness h, Tickets t) {
        return h.signals().stream().filter(s -> s.getSubject().getId().equals(t.key()) && s.getRuleId().startsWith("sla-resolution")).toList();
    }

    @Test
    @DisplayName("should warn at 50, 75 and 90 % of the resolution target and breach at 100 %, each at its exact business moment")
    void shouldWarnThenBreach() {
        try (Harness h = Harness.eventTime(rules(""))) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.send(t.update("2026-11-16T09:05:00Z").status(StatusCategory.IN_PROGRESS).assign("alice"));
            h.watermark("2026-11-16T17:30:00Z");

            List<RiskSignal> signals = resolution(h, t);
            assertEquals(List.of("RAISED INFO 13:00", "UPDATED WARNING 15:00", "UPDATED ERROR 16:12", "RESOLVED ERROR 17:00", "RAISED CRITICAL 17:00"),
                    signals.stream().map(s -> s.getState() + " " + s.getSeverity() + " " + s.getOccurredAt().toString().substring(11, 16)).toList());
            assertEquals(SignalKind.SLA_BREACH, signals.get(4).getKind());
            ClockState clock = signals.get(4).getEvidence().getClock();
            assertEquals(8 * 3_600_000L, clock.getElapsedBusinessMillis());
            assertEquals(8 * 3_600_000L, clock.getTargetBusinessMillis());
            assertEquals("default", clock.getCalendarId());
        }
    }

    @Test
    @DisplayName("should pause while waiting on the customer and resume after, with the pause in the evidence")
    void shouldPauseAndResume() {
        try (Harness h = Harness.eventTime(rules(""))) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.send(t.update("2026-11-16T09:10:00Z").status(StatusCategory.IN_PROGRESS).assign("alice"));
            h.send(t.update("2026-11-16T10:00:00Z").status(StatusCategory.WAITING_ON_CUSTOMER, "Awaiting User Info"));
            h.watermark("2026-11-17T09:59:00Z");
            assertEquals(List.of(), resolution(h, t), "1h used before the pause; paused since");

            h.send(t.update("2026-11-17T10:00:00Z").status(StatusCategory.IN_PROGRESS).actor(io.bellwether.events.ActorType.CUSTOMER));
            h.watermark("2026-11-17T17:30:00Z");
            List<RiskSignal> signals = resolution(h, t);
            assertEquals(Instant.parse("2026-11-17T13:00:00Z"), signals.get(0).getOccurredAt(), "50 %: 1h before the pause + 3h after");
            RiskSignal breach = signals.get(signals.size() - 1);
            assertEquals(SignalKind.SLA_BREACH, breach.getKind());
            assertEquals(Instant.parse("2026-11-17T17:00:00Z"), breach.getOccurredAt(), "1h + 7h: the 10 business hours of waiting did not count");
            ClockState clock = breach.getEvidence().getClock();
            assertEquals(1, clock.getPausedIntervals().size());
            assertEquals(Instant.parse("2026-11-16T10:00:00Z"), clock.getPausedIntervals().get(0).getFrom());
            assertEquals(Instant.parse("2026-11-17T10:00:00Z"), clock.getPausedIntervals().get(0).getTo());
            assertEquals("WAITING_ON_CUSTOMER", clock.getPausedIntervals().get(0).getReason());
        }
    }

    @Test
    @DisplayName("should count business hours across the DST changes of Berlin and New York, each in its own zone")
    void shouldMeasureAcrossDstInTwoZones() {
        Rules rules = rules("""
                calendars:
                  berlin: {zone: Europe/Berlin, hours: {mon-fri: "09:00-17:00"}, holidays: []}
                  nyc: {zone: America/New_York, hours: {mon-fri: "09:00-17:00"}, holidays: []}
                accounts:
                  berlin-co: {calendar: berlin, sla: {resolution: {P3: 4h}}}
                  nyc-co: {calendar: nyc, sla: {resolution: {P3: 4h}}}
                """);
        try (Harness h = Harness.eventTime(rules)) {
            // Friday 23 Oct 15:00 CEST; Berlin leaves summer time on Sunday 25 Oct.
            Tickets berlin = ticket("B-1");
            h.send(berlin.created("2026-10-23T13:00:00Z").account("berlin-co").status(StatusCategory.IN_PROGRESS));
            // Friday 30 Oct 15:00 EDT; New York leaves summer time on Sunday 1 Nov.
            Tickets nyc = ticket("N-1");
            h.send(nyc.created("2026-10-30T19:00:00Z").account("nyc-co").status(StatusCategory.IN_PROGRESS));
            h.watermark("2026-11-03T00:00:00Z");

            RiskSignal berlinBreach = resolution(h, berlin).stream().filter(s -> s.getKind() == SignalKind.SLA_BREACH).findFirst().orElseThrow();
            RiskSignal nycBreach = resolution(h, nyc).stream().filter(s -> s.getKind() == SignalKind.SLA_BREACH).findFirst().orElseThrow();
            assertEquals(Instant.parse("2026-10-26T10:00:00Z"), berlinBreach.getOccurredAt(), "2h Friday + Monday 09:00-11:00 CET");
            assertEquals(Instant.parse("2026-11-02T16:00:00Z"), nycBreach.getOccurredAt(), "2h Friday + Monday 09:00-11:00 EST");
            assertEquals("Europe/Berlin", berlinBreach.getEvidence().getClock().getZone());
            assertEquals("America/New_York", nycBreach.getEvidence().getClock().getZone());
        }
    }

    @Test
    @DisplayName("should skip a holiday of the account's calendar and the weekend before it")
    void shouldSkipHoliday() {
        Rules rules = rules("""
                calendars:
                  uk: {zone: Europe/London, hours: {mon-fri: "08:00-18:00"}, holidays: [2026-11-23]}
                accounts:
                  acme: {calendar: uk, sla: {resolution: {P3: 4h}}}
                """);
        try (Harness h = Harness.eventTime(rules)) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-20T16:00:00Z").status(StatusCategory.IN_PROGRESS));
            h.watermark("2026-11-24T12:00:00Z");
            RiskSignal breach = resolution(h, t).stream().filter(s -> s.getKind() == SignalKind.SLA_BREACH).findFirst().orElseThrow();
            assertEquals(Instant.parse("2026-11-24T10:00:00Z"), breach.getOccurredAt(), "Fri 16-18, weekend, Monday holiday, Tue 08-10");
        }
    }

    @Test
    @DisplayName("should resume the clock on a reopen by default: time used before the resolution still counts")
    void shouldResumeOnReopen() {
        try (Harness h = Harness.eventTime(rules(""))) {
            reopenScenario(h);
            RiskSignal breach = resolution(h, ticket("T-1")).stream().filter(s -> s.getKind() == SignalKind.SLA_BREACH).findFirst().orElseThrow();
            assertEquals(Instant.parse("2026-11-17T15:00:00Z"), breach.getOccurredAt(), "2h Monday + 6h from the reopen");
            assertEquals(0, breach.getEvidence().getClock().getRestarts());
        }
    }

    @Test
    @DisplayName("should restart the clock on a reopen when the rules say so")
    void shouldRestartOnReopenWhenConfigured() {
        Rules restart = Harness.rules(ONLY_SLA.replace("noAccountOwner: {enabled: false}", "noAccountOwner: {enabled: false}\n  sla: {onReopen: restart}"));
        try (Harness h = Harness.eventTime(restart)) {
            reopenScenario(h);
            RiskSignal breach = resolution(h, ticket("T-1")).stream().filter(s -> s.getKind() == SignalKind.SLA_BREACH).findFirst().orElseThrow();
            assertEquals(Instant.parse("2026-11-17T17:00:00Z"), breach.getOccurredAt(), "a full 8h from the reopen");
            assertEquals(1, breach.getEvidence().getClock().getRestarts());
        }
    }

    private static void reopenScenario(Harness h) {
        Tickets t = ticket("T-1");
        h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
        h.send(t.update("2026-11-16T09:05:00Z").status(StatusCategory.IN_PROGRESS).assign("alice"));
        h.send(t.update("2026-11-16T11:00:00Z").status(StatusCategory.RESOLVED));
        h.send(t.update("2026-11-17T09:00:00Z").status(StatusCategory.IN_PROGRESS).actor(io.bellwether.events.ActorType.CUSTOMER));
        h.watermark("2026-11-17T18:00:00Z");
    }

    @Test
    @DisplayName("should apply an account's contract target over the priority default")
    void shouldApplyContractTargets() {
        try (Harness h = Harness.eventTime(rules("""
                accounts:
                  acme: {sla: {resolution: {P2: 4h}}}
                """))) {
            Tickets acme = ticket("A-1");
            h.send(acme.created("2026-11-16T09:00:00Z").priority(Priority.P2).status(StatusCategory.IN_PROGRESS));
            Tickets other = ticket("O-1");
            h.send(other.created("2026-11-16T09:00:00Z").account("other").priority(Priority.P2).status(StatusCategory.IN_PROGRESS));
            h.watermark("2026-11-16T17:30:00Z");
            assertEquals(Instant.parse("2026-11-16T13:00:00Z"), resolution(h, acme).stream()
                    .filter(s -> s.getKind() == SignalKind.SLA_BREACH).findFirst().orElseThrow().getOccurredAt());
            assertEquals(Instant.parse("2026-11-16T17:00:00Z"), resolution(h, other).stream()
                    .filter(s -> s.getKind() == SignalKind.SLA_BREACH).findFirst().orElseThrow().getOccurredAt());
        }
    }

    @Test
    @DisplayName("should resolve the response risk when an agent responds, with the share used in the reason")
    void shouldResolveResponseRiskOnResponse() {
        try (Harness h = Harness.eventTime(rules(""))) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2).actor(io.bellwether.events.ActorType.CUSTOMER));
            h.watermark("2026-11-16T09:40:00Z");
            h.send(t.update("2026-11-16T09:50:00Z").type(io.bellwether.events.TicketEventType.COMMENTED));
            List<RiskSignal> response = h.signals().stream().filter(s -> s.getRuleId().equals("sla-response-risk")).toList();
            assertEquals(List.of(SignalState.RAISED, SignalState.UPDATED, SignalState.RESOLVED), response.stream().map(RiskSignal::getState).toList());
            assertEquals(Severity.INFO, response.get(0).getSeverity());
            assertEquals(Severity.WARNING, response.get(1).getSeverity());
            assertEquals(Instant.parse("2026-11-16T09:45:00Z"), response.get(1).getOccurredAt(), "the 75 % stage passed before the reply arrived");
            assertEquals("Responded with 83% of the Response SLA used", response.get(2).getReason());
            assertTrue(h.signals().stream().noneMatch(s -> s.getRuleId().equals("sla-response-breach")));
            assertNull(response.get(2).getEvidence().getClock().getDueAt(), "a stopped clock has no due moment");
        }
    }
}
