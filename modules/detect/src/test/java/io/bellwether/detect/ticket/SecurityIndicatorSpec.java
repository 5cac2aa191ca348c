package io.bellwether.detect.ticket;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.RulesException;
import io.bellwether.detect.state.SecurityMatch;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SECURITY_INDICATOR with the built-in indicators (phishing ERROR, unusual-login ERROR, malware CRITICAL, lost-device
 * WARNING, mfa-reset WARNING) looked for in category, CI, summary, title and subcategory.
 */
class SecurityIndicatorSpec {

    private static List<SecurityMatch> matches(Harness h, Tickets t) {
        return h.<TicketState>store(StoreNames.TICKET_STATE).get(t.key()).getSecurityMatches();
    }

    private static void assertNoSecurityOnRiskSignals(Harness h) {
        assertEquals(List.of(), h.signals().stream().filter(s -> s.getKind() == SignalKind.SECURITY_INDICATOR).toList(),
                "security signals travel only on their own topic");
    }

    @Test
    @DisplayName("should raise at the matching event's time on the security topic alone, naming indicator, field and term")
    void shouldRaiseAtOnceOnItsOwnTopic() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("SEC-1");
            h.send(t.created("2026-11-16T09:00:00Z").category("Phishing report"));

            List<KeyValue<String, RiskSignal>> security = h.security();
            assertEquals(1, security.size(), security.toString());
            RiskSignal raised = security.get(0).value;
            assertEquals(raised.getDedupKey(), security.get(0).key, "keyed by dedup key, like every signal topic");
            assertEquals(SignalKind.SECURITY_INDICATOR, raised.getKind());
            assertEquals(SignalState.RAISED, raised.getState());
            assertEquals(Severity.ERROR, raised.getSeverity());
            assertEquals(Instant.parse("2026-11-16T09:00:00Z"), raised.getOccurredAt(), "at once: stamped with the event that matched");
            assertTrue(raised.getReason().startsWith("Security indicator phishing (category matched 'phishing')"), raised.getReason());
            assertNoSecurityOnRiskSignals(h);
            assertEquals(List.of(new SecurityMatch("phishing", "category", "phishing", "ERROR",
                    Instant.parse("2026-11-16T09:00:00Z").toEpochMilli())), matches(h, t));
        }
    }

    @Test
    @DisplayName("should keep a security match out of the ticket-at-risk alert's evidence, which travels on ticket-alerts")
    void shouldStayOutOfTicketAlerts() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("SEC-11");
            h.send(t.created("2026-11-16T09:00:00Z").priority(io.bellwether.events.Priority.P1).category("Malware"));
            h.send(t.update("2026-11-16T09:05:00Z").status(StatusCategory.RESOLVED));
            h.send(t.update("2026-11-16T09:10:00Z").status(StatusCategory.OPEN, "Reopened"));
            h.send(t.update("2026-11-16T09:20:00Z").status(StatusCategory.RESOLVED));
            h.send(t.update("2026-11-16T09:30:00Z").status(StatusCategory.OPEN, "Reopened"));
            List<RiskSignal> alerts = h.alerts();
            assertTrue(!alerts.isEmpty(), "the reopen loop raises the ticket alert");
            assertEquals(1, h.security().size());
            for (RiskSignal alert : alerts) {
                assertTrue(!alert.toString().contains("SECURITY") && !alert.toString().contains("malware"), alert.toString());
            }
        }
    }

    @Test
    @DisplayName("should copy nothing of the ticket's text into the signal beyond the configured term that matched")
    void shouldQuoteOnlyWhatMatched() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("SEC-2");
            h.send(t.created("2026-11-16T09:00:00Z").category("Email").attribute("summary",
                    "Suspicious EMAIL from 'CEO' wants gift cards; my password is hunter2"));

            RiskSignal raised = h.security().get(0).value;
            assertTrue(raised.getReason().contains("phishing (attributes.summary matched 'suspicious email')"), raised.getReason());
            String everything = raised.toString();
            for (String secret : List.of("hunter2", "gift cards", "CEO", "EMAIL from")) {
                assertTrue(!everything.contains(secret), "'" + secret + "' leaked into the signal: " + everything);
            }
        }
    }

    @Test
    @DisplayName("should match whole words and phrases, whatever the case and separators, and not inside other words")
    void shouldMatchWholeWordsOnly() {
        try (Harness h = Harness.eventTime()) {
            Tickets quiet = ticket("SEC-3");
            h.send(quiet.created("2026-11-16T09:00:00Z").attribute("summary", "Antivirus licence renewal; viruses.txt quarantine report; phishingly"));
            assertEquals(List.of(), h.security(), "virus inside antivirus/viruses, phishing inside phishingly: no match");
            assertEquals(List.of(), matches(h, quiet));

            Tickets mfa = ticket("SEC-4");
            h.send(mfa.created("2026-11-16T09:05:00Z").attribute("title", "Please MFA-Reset  my phone"));
            RiskSignal raised = h.security().get(0).value;
            assertEquals(mfa.key(), raised.getSubject().getId());
            assertEquals(Severity.WARNING, raised.getSeverity());
            assertTrue(raised.getReason().contains("mfa-reset (attributes.title matched 'mfa reset')"), raised.getReason());
        }
    }

    @Test
    @DisplayName("should raise once for a redelivered event, keep the first match per indicator, and escalate at once on a worse one")
    void shouldRaiseOnceAndEscalate() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("SEC-5");
            h.send(t.created("2026-11-16T09:00:00Z").category("Phishing").sourceEventId("e-1"));
            h.send(t.update("2026-11-16T09:01:00Z").sourceEventId("e-1"));
            h.send(t.update("2026-11-16T09:10:00Z").attribute("summary", "another phish"));
            List<KeyValue<String, RiskSignal>> first = h.security();
            assertEquals(1, first.size(), "one raise for the first match, none for the redelivery or the same indicator again: " + first);

            h.send(t.update("2026-11-16T09:20:00Z").attribute("summary", "user clicked it: ransomware on the laptop"));
            List<KeyValue<String, RiskSignal>> escalated = h.security();
            assertEquals(1, escalated.size(), escalated.toString());
            assertEquals(SignalState.UPDATED, escalated.get(0).value.getState());
            assertEquals(Severity.CRITICAL, escalated.get(0).value.getSeverity(), "the worst matched indicator sets the severity");
            assertEquals(Instant.parse("2026-11-16T09:20:00Z"), escalated.get(0).value.getOccurredAt());
            List<SecurityMatch> kept = matches(h, t);
            assertEquals(List.of("phishing", "malware"), kept.stream().map(SecurityMatch::getIndicator).toList());
            assertEquals("category", kept.get(0).getField(), "the first match of an indicator is kept");
            assertEquals(Instant.parse("2026-11-16T09:00:00Z").toEpochMilli(), kept.get(0).getAt());
        }
    }

    @Test
    @DisplayName("should stay raised while the ticket is only resolved, and resolve when it is closed")
    void shouldResolveWhenClosed() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("SEC-6");
            h.send(t.created("2026-11-16T09:00:00Z").ci("Stolen laptop register"));
            assertEquals(Severity.WARNING, h.security().get(0).value.getSeverity());
            h.send(t.update("2026-11-16T11:00:00Z").status(StatusCategory.RESOLVED));
            assertEquals(List.of(), h.security(), "a resolved report is still the security team's to see");
            h.send(t.update("2026-11-17T11:00:00Z").status(StatusCategory.CLOSED));
            List<KeyValue<String, RiskSignal>> closed = h.security();
            assertEquals(1, closed.size(), closed.toString());
            assertEquals(SignalState.RESOLVED, closed.get(0).value.getState());
            assertEquals(Instant.parse("2026-11-17T11:00:00Z"), closed.get(0).value.getOccurredAt());
        }
    }

    @Test
    @DisplayName("should raise for an event that arrives late and out of order, at that event's time")
    void shouldRaiseForALateEvent() {
        try (Harness h = Harness.eventTime()) {
            Tickets t = ticket("SEC-7");
            h.send(t.created("2026-11-16T09:00:00Z").category("Hardware"));
            h.send(t.update("2026-11-16T12:00:00Z").status(StatusCategory.IN_PROGRESS));
            h.send(t.update("2026-11-16T10:00:00Z").attribute("summary", "Unusual sign-in from abroad"));
            List<KeyValue<String, RiskSignal>> raised = h.security();
            assertEquals(1, raised.size(), raised.toString());
            assertTrue(raised.get(0).value.getReason().contains("unusual-login"), raised.get(0).value.getReason());
            assertEquals("unusual-login", matches(h, t).get(0).getIndicator());
        }
    }

    @Test
    @DisplayName("should raise nothing when the rules turn security indicators off, or one indicator off")
    void shouldBeQuietWhenDisabled() {
        try (Harness h = Harness.eventTime(Harness.rules("security: {enabled: false}"))) {
            h.send(ticket("SEC-8").created("2026-11-16T09:00:00Z").category("Malware"));
            assertEquals(List.of(), h.security());
        }
        try (Harness h = Harness.eventTime(Harness.rules("security: {indicators: {malware: {enabled: false}}}"))) {
            h.send(ticket("SEC-9").created("2026-11-16T09:00:00Z").category("Malware"));
            h.send(ticket("SEC-10").created("2026-11-16T09:00:00Z").category("Phishing"));
            List<KeyValue<String, RiskSignal>> raised = h.security();
            assertEquals(List.of("test:SEC-10"), raised.stream().map(kv -> kv.value.getSubject().getId()).toList());
        }
    }

    @Test
    @DisplayName("should refuse a rules file naming a field the events do not have, or a term too short to mean anything")
    void shouldRefuseBadIndicators() {
        RulesException field = assertThrows(RulesException.class, () -> Harness.rules("""
                security:
                  fields: [category, summary]
                """));
        assertTrue(field.getMessage().contains("'summary' is not one of category, configurationItem, vendor, attributes.<name>"), field.getMessage());
        RulesException term = assertThrows(RulesException.class, () -> Harness.rules("""
                security:
                  indicators:
                    usb: {severity: INFO, terms: [us]}
                """));
        assertTrue(term.getMessage().contains("'us' is too short"), term.getMessage());
    }
}
