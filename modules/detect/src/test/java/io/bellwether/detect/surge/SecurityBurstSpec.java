package io.bellwether.detect.surge;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.state.SurgeState;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.detect.testing.Harness;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.SubjectType;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SECURITY_BURST with the built-in thresholds: 5 tickets matching one indicator from 2+ accounts within 2h (a campaign),
 * 3 of one account's tickets matching any indicator within 24h (an account under attack).
 */
class SecurityBurstSpec {
    private static final String[] ACCOUNTS = {"acme", "globex", "initech"};
    private static final Instant T0 = Instant.parse("2026-11-18T10:00:00Z");

    private static List<RiskSignal> bursts(Harness h) {
        return h.security().stream().map(kv -> kv.value).filter(s -> s.getKind() == SignalKind.SECURITY_BURST).toList();
    }

    private static void phishingReports(Harness h, int tickets, Duration apart) {
        for (int i = 0; i < tickets; i++) {
            h.send(ticket("PH-" + i).created(T0.plus(apart.multipliedBy(i)).toString()).account(ACCOUNTS[i % 3])
                    .attribute("summary", "Phishing email received"));
        }
    }

    @Test
    @DisplayName("should raise a campaign burst on the fifth phishing report from several accounts within two hours, naming the tickets")
    void shouldRaiseACampaign() {
        try (Harness h = Harness.eventTime()) {
            phishingReports(h, 5, Duration.ofMinutes(20));
            List<RiskSignal> bursts = bursts(h);
            List<RiskSignal> campaign = bursts.stream().filter(s -> s.getSubject().getType() == SubjectType.SECURITY_INDICATOR).toList();
            assertEquals(1, campaign.size(), bursts.toString());
            RiskSignal raised = campaign.get(0);
            assertEquals("security-burst/security_indicator/phishing", raised.getDedupKey());
            assertEquals(SignalState.RAISED, raised.getState());
            assertEquals(Severity.ERROR, raised.getSeverity());
            assertEquals(T0.plus(Duration.ofMinutes(80)), raised.getOccurredAt(), "on the fifth report");
            assertEquals(List.of("acme", "globex", "initech"), raised.getEvidence().getRelatedAccounts());
            assertEquals(5, raised.getEvidence().getRelatedTickets().size());
            assertTrue(raised.getReason().startsWith("5 tickets matched phishing from 3 accounts in 2h"), raised.getReason());
            assertTrue(h.signals().stream().noneMatch(s -> s.getKind() == SignalKind.SECURITY_BURST), "only on the security topic");
            List<TicketNote> counted = h.<SurgeState>store(StoreNames.SURGE_STATE).get("security:phishing").getRecent();
            assertEquals(5, counted.size());
            assertEquals("phishing", counted.get(0).getWhat());
        }
    }

    @Test
    @DisplayName("should not call five reports spread over more than two hours a campaign, nor five from one account")
    void shouldNotRaiseOnSpreadOrSingleAccount() {
        try (Harness h = Harness.eventTime()) {
            phishingReports(h, 5, Duration.ofMinutes(31));
            h.watermark("2026-11-19T10:00:00Z");
            assertTrue(bursts(h).stream().noneMatch(s -> s.getSubject().getType() == SubjectType.SECURITY_INDICATOR), bursts(h).toString());
        }
        try (Harness h = Harness.eventTime()) {
            for (int i = 0; i < 5; i++) {
                h.send(ticket("ONE-" + i).created(T0.plus(Duration.ofMinutes(i)).toString()).account("acme").category("Malware"));
            }
            List<RiskSignal> bursts = bursts(h);
            assertTrue(bursts.stream().noneMatch(s -> s.getSubject().getType() == SubjectType.SECURITY_INDICATOR), "one account is no campaign");
            assertEquals(1, bursts.stream().filter(s -> s.getSubject().getType() == SubjectType.ACCOUNT).count(),
                    "but it is an account under attack: " + bursts);
        }
    }

    @Test
    @DisplayName("should raise an account burst on its third ticket matching any indicator within a day, counting each ticket once")
    void shouldRaiseAnAccountUnderAttack() {
        try (Harness h = Harness.eventTime()) {
            h.send(ticket("A-1").created("2026-11-18T08:00:00Z").account("acme").attribute("title", "MFA reset for Dana"));
            h.send(ticket("A-1").update("2026-11-18T08:30:00Z").account("acme").attribute("summary", "unusual login after MFA reset"));
            h.send(ticket("A-2").created("2026-11-18T12:00:00Z").account("acme").attribute("title", "Reset MFA please"));
            assertEquals(List.of(), bursts(h), "two tickets, though three matches");
            h.send(ticket("A-3").created("2026-11-19T07:00:00Z").account("acme").attribute("summary", "Unusual sign-in alert"));
            List<RiskSignal> bursts = bursts(h);
            assertEquals(1, bursts.size(), bursts.toString());
            RiskSignal raised = bursts.get(0);
            assertEquals("security-burst/account/acme", raised.getDedupKey());
            assertEquals("acme", raised.getAccountId());
            assertEquals(Instant.parse("2026-11-19T07:00:00Z"), raised.getOccurredAt());
            assertTrue(raised.getReason().contains("3 tickets of account acme matched security indicators (mfa-reset, unusual-login)"),
                    raised.getReason());
        }
    }

    @Test
    @DisplayName("should resolve the account burst when its first match leaves the day, at that moment, on event time alone")
    void shouldResolveWhenTheWindowEmpties() {
        try (Harness h = Harness.eventTime()) {
            for (int i = 0; i < 3; i++) {
                h.send(ticket("R-" + i).created(T0.plus(Duration.ofHours(i)).toString()).account("acme").category("Lost device"));
            }
            assertEquals(SignalState.RAISED, bursts(h).get(0).getState());
            h.watermark("2026-11-19T12:00:00Z");
            List<KeyValue<String, RiskSignal>> later = h.security();
            List<RiskSignal> resolved = later.stream().map(kv -> kv.value).filter(s -> s.getKind() == SignalKind.SECURITY_BURST).toList();
            assertEquals(1, resolved.size(), later.toString());
            assertEquals(SignalState.RESOLVED, resolved.get(0).getState());
            assertEquals(T0.plus(Duration.ofDays(1)), resolved.get(0).getOccurredAt(), "when the first of the three left the 24h window");
        }
    }

    @Test
    @DisplayName("should raise no burst when the rules turn bursts off, while the tickets' own indicators still raise")
    void shouldBeQuietWhenDisabled() {
        try (Harness h = Harness.eventTime(Harness.rules("security: {burst: {enabled: false}}"))) {
            phishingReports(h, 6, Duration.ofMinutes(1));
            List<KeyValue<String, RiskSignal>> out = h.security();
            assertTrue(out.stream().noneMatch(kv -> kv.value.getKind() == SignalKind.SECURITY_BURST), out.toString());
            assertEquals(6, out.stream().filter(kv -> kv.value.getKind() == SignalKind.SECURITY_INDICATOR).count());
        }
    }
}
