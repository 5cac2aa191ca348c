package io.bellwether.detect.surge;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.SubjectType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Surges across accounts (built-in: 5 new tickets in 2h from 2+ accounts, 3x the 7-day baseline) and the noise they inhibit. */
class SurgeSpec {
    private static final Rules RULES = Harness.rules("""
            defaults:
              aging: {enabled: false}
              noAccountOwner: {enabled: false}
              repeatFriction: {enabled: false}
            """);
    private static final String[] ACCOUNTS = {"acme", "globex", "initech"};

    private static List<RiskSignal> surges(Harness h, String ci) {
        return h.signals().stream().filter(s -> s.getKind() == SignalKind.SURGE && s.getSubject().getId().equals(ci)).toList();
    }

    private static void outage(Harness h, int tickets) {
        for (int i = 0; i < tickets; i++) {
            h.send(ticket("V-" + i).created(Instant.parse("2026-11-18T10:00:00Z").plus(Duration.ofMinutes(10L * i)).toString())
                    .account(ACCOUNTS[i % 3]).category("Network").ci("vpn-gw").vendor("Fortinet"));
        }
    }

    @Test
    @DisplayName("should raise a surge when new tickets on one CI from several accounts far exceed its baseline, with the tickets as evidence")
    void shouldRaiseSurge() {
        try (Harness h = Harness.eventTime(RULES)) {
            outage(h, 5);
            List<RiskSignal> surge = surges(h, "vpn-gw");
            assertEquals(1, surge.size());
            assertEquals(SubjectType.CONFIGURATION_ITEM, surge.get(0).getSubject().getType());
            assertEquals(Instant.parse("2026-11-18T10:40:00Z"), surge.get(0).getOccurredAt(), "on the fifth ticket");
            assertEquals(5, surge.get(0).getEvidence().getRelatedTickets().size());
            assertEquals(List.of("acme", "globex", "initech"), surge.get(0).getEvidence().getRelatedAccounts());
            assertTrue(surge.get(0).getEvidence().getFacts().get("inhibits").contains("UNASSIGNED"));
        }
    }

    @Test
    @DisplayName("should inhibit the unassigned and SLA-risk noise of the surge's tickets, but never their breaches")
    void shouldInhibitNoiseButNotBreaches() {
        try (Harness h = Harness.eventTime(RULES)) {
            outage(h, 5);
            Tickets elsewhere = ticket("OTHER");
            h.send(elsewhere.created("2026-11-18T10:00:00Z").account("acme").category("Printing"));
            h.watermark("2026-11-18T15:00:00Z");

            List<RiskSignal> vpnTickets = h.signals().stream().filter(s -> s.getSubject().getId().startsWith("test:V-")).toList();
            assertTrue(vpnTickets.stream().noneMatch(s -> s.getKind() == SignalKind.UNASSIGNED || s.getKind() == SignalKind.SLA_RISK),
                    "inhibited: " + vpnTickets);
            assertTrue(vpnTickets.stream().anyMatch(s -> s.getKind() == SignalKind.SLA_BREACH), "breaches still go out");
            assertTrue(h.signals(io.bellwether.detect.ticket.UnassignedRule.RULE_ID, elsewhere.key()).size() > 0,
                    "a ticket outside the surge is not inhibited");
            assertTrue(h.metrics().counter("bellwether.detect.suppressed{by=inhibition}").getCount() >= 5);
        }
    }

    @Test
    @DisplayName("should end the surge once the wave's tickets are resolved, not while they are still open")
    void shouldLastUntilTheWaveIsResolved() {
        try (Harness h = Harness.eventTime(RULES)) {
            outage(h, 5);
            h.watermark("2026-11-18T14:00:00Z");
            assertTrue(surges(h, "vpn-gw").stream().noneMatch(s -> s.getState() == SignalState.RESOLVED),
                    "no new tickets for hours, but all five are open");
            assertEquals("5", surges(h, "vpn-gw").get(surges(h, "vpn-gw").size() - 1).getEvidence().getFacts().get("stillOpen"));
            for (int i = 0; i < 5; i++) {
                h.send(ticket("V-" + i).update("2026-11-18T15:0" + i + ":00Z").assign("dana").status(StatusCategory.RESOLVED)
                        .account(ACCOUNTS[i % 3]).category("Network").ci("vpn-gw").vendor("Fortinet"));
            }
            List<RiskSignal> surge = surges(h, "vpn-gw");
            assertEquals(SignalState.RESOLVED, surge.get(surge.size() - 1).getState());
            assertEquals(Instant.parse("2026-11-18T15:02:00Z"), surge.get(surge.size() - 1).getOccurredAt(),
                    "when fewer than half a trigger's worth remain open");
        }
    }

    @Test
    @DisplayName("should not call a normal day on a busy CI a surge: the trigger scales with its own baseline")
    void shouldRespectBaseline() {
        try (Harness h = Harness.eventTime(RULES)) {
            Instant start = Instant.parse("2026-11-11T10:00:00Z");
            for (int i = 0; i < 7 * 48; i++) {
                h.send(ticket("B-" + i).created(start.plus(Duration.ofMinutes(30L * i)).toString()).account(ACCOUNTS[i % 3])
                        .priority(Priority.P4).ci("mail-gw").assign("bot").status(StatusCategory.IN_PROGRESS));
            }
            Instant burst = start.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(5));
            for (int i = 0; i < 5; i++) {
                h.send(ticket("X-" + i).created(burst.plus(Duration.ofMinutes(10L * i)).toString()).account(ACCOUNTS[i % 3])
                        .priority(Priority.P4).ci("mail-gw").assign("bot").status(StatusCategory.IN_PROGRESS));
            }
            assertFalse(surges(h, "mail-gw").stream().anyMatch(s -> s.getState() == SignalState.RAISED),
                    "two an hour is this CI's normal: 5 more in two hours is not 3x its baseline of 4");
        }
    }
}
