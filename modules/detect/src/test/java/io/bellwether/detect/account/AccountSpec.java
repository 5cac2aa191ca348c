package io.bellwether.detect.account;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.EscalationKind;
import io.bellwether.events.OwnershipGapType;
import io.bellwether.events.Priority;
import io.bellwether.events.RiskLevel;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The account stage: repeat friction, reopen rate, owner churn, missing owners, the risk score and lead times. */
class AccountSpec {
    /** Ticket rules off, so only account behaviour shows; acme has an owner unless a spec says otherwise. */
    private static final String QUIET_TICKETS = """
            defaults:
              unassigned: {enabled: false}
              sla: {enabled: false}
              aging: {enabled: false}
              reopenLoop: {enabled: false}
              pingPong: {enabled: false}
            """;
    private static final Rules ACCOUNT_RULES = Harness.rules(QUIET_TICKETS + """
            accounts:
              acme: {owner: sam}
            """);

    private static List<String> lifecycle(Harness h, String rule, String account) {
        return h.signals(rule, account).stream()
                .map(s -> s.getState() + " " + s.getSeverity() + " " + s.getOccurredAt().toString().substring(5, 16)).toList();
    }

    private static Instant plus(String at, Duration d) {
        return Instant.parse(at).plus(d);
    }

    @Nested
    class RepeatFriction {
        @Test
        @DisplayName("should raise on the third ticket in seven days, ERROR when they share a category, and resolve as the window slides past them")
        void shouldRaiseOnThirdTicketAndSlide() {
            try (Harness h = Harness.eventTime(ACCOUNT_RULES)) {
                h.send(ticket("A-1").created("2026-11-16T09:00:00Z").category("Email"));
                h.send(ticket("A-2").created("2026-11-17T09:00:00Z").category("Email"));
                h.send(ticket("A-3").created("2026-11-18T09:00:00Z").category("Email"));
                h.watermark("2026-11-23T10:00:00Z");
                assertEquals(List.of("RAISED ERROR 11-18T09:00", "RESOLVED ERROR 11-23T09:00"), lifecycle(h, AccountRules.REPEAT, "acme"));
                RiskSignal raised = h.signals(AccountRules.REPEAT, "acme").get(0);
                assertEquals(List.of("test:A-1", "test:A-2", "test:A-3"), raised.getEvidence().getRelatedTickets());
                assertEquals("category Email", raised.getEvidence().getFacts().get("sharedOn"));
            }
        }

        @Test
        @DisplayName("should stay at WARNING when the tickets are about different things")
        void shouldWarnForUnrelatedTickets() {
            try (Harness h = Harness.eventTime(ACCOUNT_RULES)) {
                h.send(ticket("A-1").created("2026-11-16T09:00:00Z").category("Email"));
                h.send(ticket("A-2").created("2026-11-17T09:00:00Z").category("Printing"));
                h.send(ticket("A-3").created("2026-11-18T09:00:00Z").category("Network"));
                assertEquals(List.of("RAISED WARNING 11-18T09:00"), lifecycle(h, AccountRules.REPEAT, "acme"));
            }
        }

        @Test
        @DisplayName("should recognise smaller follow-up tickets on the same issue after a resolution")
        void shouldRecogniseFollowUps() {
            try (Harness h = Harness.eventTime(ACCOUNT_RULES)) {
                Tickets first = ticket("A-1");
                h.send(first.created("2026-11-16T09:00:00Z").priority(Priority.P2).category("Email"));
                h.send(first.update("2026-11-16T11:00:00Z").status(StatusCategory.RESOLVED));
                h.send(ticket("A-2").created("2026-11-17T09:00:00Z").priority(Priority.P4).category("Email"));
                h.send(ticket("A-9").created("2026-11-17T10:00:00Z").priority(Priority.P1).category("Email"));
                h.send(ticket("A-3").created("2026-11-18T09:00:00Z").priority(Priority.P3).category("Email"));
                List<RiskSignal> followUps = h.signals(AccountRules.FOLLOW_UP, "acme");
                assertEquals(1, followUps.size());
                assertEquals(Instant.parse("2026-11-18T09:00:00Z"), followUps.get(0).getOccurredAt(), "the second smaller follow-up");
                assertEquals(List.of("test:A-1", "test:A-2", "test:A-3"), followUps.get(0).getEvidence().getRelatedTickets(),
                        "A-9 is more urgent than the original: not a follow-up");
                h.watermark("2026-11-23T11:00:01Z");
                assertEquals(SignalState.RESOLVED, h.signals(AccountRules.FOLLOW_UP, "acme").get(1).getState());
            }
        }
    }

    @Test
    @DisplayName("should raise when the reopen rate rises well above the account's own norm")
    void shouldRaiseOnReopenRateAboveNorm() {
        Rules rules = Harness.rules(QUIET_TICKETS + """
                  reopenRate: {window: 7d, baseline: 21d, factor: 2.0, minRate: 0.2, minResolved: 3, minReopens: 2}
                accounts:
                  acme: {owner: sam}
                """);
        try (Harness h = Harness.eventTime(rules)) {
            // The norm: ten resolutions over the three weeks before, one reopen.
            for (int i = 0; i < 10; i++) {
                Tickets t = ticket("OLD-" + i);
                String day = plus("2026-10-26T09:00:00Z", Duration.ofDays(2L * i)).toString();
                h.send(t.created(day).status(StatusCategory.IN_PROGRESS));
                h.send(t.update(plus(day, Duration.ofHours(2)).toString()).status(StatusCategory.RESOLVED));
                if (i == 3) {
                    h.send(t.update(plus(day, Duration.ofHours(3)).toString()).status(StatusCategory.OPEN));
                    h.send(t.update(plus(day, Duration.ofHours(4)).toString()).status(StatusCategory.RESOLVED));
                }
            }
            // This week: four resolutions, two of them reopened.
            for (int i = 0; i < 4; i++) {
                Tickets t = ticket("NEW-" + i);
                String day = plus("2026-11-16T09:00:00Z", Duration.ofDays(i)).toString();
                h.send(t.created(day).status(StatusCategory.IN_PROGRESS));
                h.send(t.update(plus(day, Duration.ofHours(2)).toString()).status(StatusCategory.RESOLVED));
                if (i >= 2) {
                    h.send(t.update(plus(day, Duration.ofHours(3)).toString()).status(StatusCategory.OPEN));
                }
            }
            List<RiskSignal> rate = h.signals(AccountRules.REOPEN_RATE, "acme");
            assertEquals(1, rate.size(), rate.toString());
            assertEquals(Instant.parse("2026-11-19T12:00:00Z"), rate.get(0).getOccurredAt());
            assertEquals("0.4", rate.get(0).getEvidence().getFacts().get("rate"), "2 reopens of 5 resolutions (one from the week before)");
            assertEquals("5", rate.get(0).getEvidence().getFacts().get("resolutions"));
            assertTrue(Double.parseDouble(rate.get(0).getEvidence().getFacts().get("norm")) < 0.25);
        }
    }

    @Test
    @DisplayName("should flag owner churn when an account's tickets keep changing hands among many technicians")
    void shouldFlagOwnerChurn() {
        try (Harness h = Harness.eventTime(ACCOUNT_RULES)) {
            String[] people = {"ann", "ben", "cat", "dan"};
            for (int t = 0; t < 3; t++) {
                Tickets ticket = ticket("C-" + t);
                h.send(ticket.created("2026-11-16T0" + (t + 1) + ":00:00Z").assign(people[t]).status(StatusCategory.IN_PROGRESS));
                h.send(ticket.update("2026-11-16T1" + t + ":00:00Z").assign(people[(t + 1) % 4]));
                h.send(ticket.update("2026-11-16T1" + (t + 3) + ":00:00Z").assign(people[(t + 2) % 4]));
            }
            List<RiskSignal> churn = h.signals(AccountRules.CHURN, "acme");
            assertEquals(1, churn.size());
            assertEquals("6", churn.get(0).getEvidence().getFacts().get("handoffs"));
            assertEquals(OwnershipGapType.OWNER_CHURN, h.gaps().stream().filter(g -> g.getGapType() == OwnershipGapType.OWNER_CHURN)
                    .findFirst().orElseThrow().getGapType());
        }
    }

    @Nested
    class NoAccountOwner {
        private final Rules noOwner = Harness.rules("""
                defaults:
                  sla: {enabled: false}
                  aging: {enabled: false}
                """);

        @Test
        @DisplayName("should raise when an account carries active risk and nobody is accountable, and resolve when an owner is named on the topic")
        void shouldRaiseWithoutOwnerAndResolveWhenOwnerAppears() {
            try (Harness h = Harness.eventTime(noOwner)) {
                h.send(ticket("T-1").created("2026-11-16T09:00:00Z").priority(Priority.P2));
                h.watermark("2026-11-16T09:31:00Z");
                assertEquals(List.of("RAISED WARNING 11-16T09:30"), lifecycle(h, AccountRules.NO_OWNER, "acme"));
                assertEquals(OwnershipGapType.NO_ACCOUNT_OWNER, h.gaps().stream()
                        .filter(g -> g.getGapType() == OwnershipGapType.NO_ACCOUNT_OWNER).findFirst().orElseThrow().getGapType());

                h.watermark("2026-11-16T09:36:00Z");
                assertEquals(1, lifecycle(h, AccountRules.NO_OWNER, "acme").size(), "still nobody at 09:36");
                h.owner("acme", "sam", "2026-11-16T09:37:00Z");
                h.watermark("2026-11-16T09:50:00Z");
                List<String> lifecycle = lifecycle(h, AccountRules.NO_OWNER, "acme");
                assertEquals(List.of("RAISED WARNING 11-16T09:30", "RESOLVED WARNING 11-16T09:37"), lifecycle,
                        "resolved the moment the owner was named, not at a later poll");
                AccountState stored = h.<AccountState>store(StoreNames.ACCOUNT_STATE).get("acme");
                assertTrue(stored.getOwnerNamed());
                assertEquals("sam", stored.getOwner());
                assertTrue(h.signals(AccountRules.NO_OWNER, "acme").get(1).getReason().equals("Owned by sam"));
            }
        }

        @Test
        @DisplayName("should not let an owner named today move the clock of a replay of the past")
        void shouldKeepReplayTimeWhenAnOwnerIsNamedNow() {
            try (Harness h = Harness.eventTime(noOwner)) {
                h.send(ticket("T-1").created("2026-11-16T09:00:00Z").priority(Priority.P2));
                // Named by an operator now (the record's time is the wall clock), while the replay is at 09:00 of the past.
                h.owner("initech", "sam", "2031-01-01T00:00:00Z");
                h.send(ticket("T-2").created("2026-11-16T09:05:00Z").priority(Priority.P2));
                assertTrue(h.signals().stream().noneMatch(s -> s.getRuleId().equals("unassigned")),
                        "no deadline of 09:30 or later fired at 09:05: " + h.signals());
                h.watermark("2026-11-16T09:31:00Z");
                assertEquals(1, h.signals("unassigned", "test:T-1").size(), "T-1's fires once event time gets there");
            }
        }

        @Test
        @DisplayName("should take the owner from the rules file when the topic names none")
        void shouldUseRulesFileOwner() {
            try (Harness h = Harness.eventTime(Harness.rules("""
                    defaults:
                      sla: {enabled: false}
                      aging: {enabled: false}
                    accounts:
                      acme: {owner: sam}
                    """))) {
                h.send(ticket("T-1").created("2026-11-16T09:00:00Z").priority(Priority.P2));
                h.watermark("2026-11-16T10:30:00Z");
                assertEquals(List.of(), lifecycle(h, AccountRules.NO_OWNER, "acme"));
            }
        }
    }

    @Test
    @DisplayName("should publish the account's risk on every change with its contributors, and fall back to none when they resolve")
    void shouldPublishAccountRisk() {
        try (Harness h = Harness.eventTime(Harness.rules("""
                defaults:
                  sla: {enabled: false}
                  aging: {enabled: false}
                accounts:
                  acme: {owner: sam}
                """))) {
            Tickets t = ticket("T-1");
            h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
            h.watermark("2026-11-16T10:05:00Z");
            h.send(t.update("2026-11-16T10:10:00Z").assign("alice"));
            List<AccountRisk> risks = h.risks();
            AccountRisk atWorst = risks.stream().max((a, b) -> Double.compare(a.getScore(), b.getScore())).orElseThrow();
            assertEquals(7.5, atWorst.getScore(), "UNASSIGNED weight 10 x ERROR factor 0.75");
            assertEquals(RiskLevel.LOW, atWorst.getLevel());
            assertEquals(SignalKind.UNASSIGNED, atWorst.getContributors().get(0).getKind());
            assertEquals("sam", atWorst.getAccountOwner());
            AccountRisk last = risks.get(risks.size() - 1);
            assertEquals(0.0, last.getScore());
            assertEquals(RiskLevel.NONE, last.getLevel());
            assertTrue(last.getContributors().isEmpty());
            AccountState state = h.<AccountState>store(StoreNames.ACCOUNT_STATE).get("acme");
            assertTrue(state.getActiveSignals().isEmpty());
            assertEquals(1, state.getOpenTicketCount());
        }
    }

    @Nested
    class LeadTime {
        private final Rules rules = Harness.rules("""
                defaults:
                  sla: {enabled: false}
                  aging: {enabled: false}
                accounts:
                  acme: {owner: sam}
                """);

        @Test
        @DisplayName("should report an escalation that a signal anticipated, with the lead time, once")
        void shouldReportAnticipatedEscalation() {
            try (Harness h = Harness.eventTime(rules)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P2));
                h.watermark("2026-11-16T09:45:00Z");
                h.send(t.update("2026-11-16T11:00:00Z").priority(Priority.P1));
                h.send(t.update("2026-11-16T11:05:00Z").priority(Priority.P2));
                h.send(t.update("2026-11-16T11:10:00Z").priority(Priority.P1));

                List<Escalation> escalations = h.escalations();
                assertEquals(1, escalations.size(), "reported once per ticket and kind");
                Escalation e = escalations.get(0);
                assertEquals(EscalationKind.PRIORITY_RAISED, e.getKind());
                assertTrue(e.getAnticipated());
                assertEquals(Instant.parse("2026-11-16T09:30:00Z"), e.getFirstSignalAt());
                assertEquals(SignalKind.UNASSIGNED, e.getFirstSignalKind());
                assertEquals("ticket", e.getFirstSignalScope());
                assertEquals(Duration.ofMinutes(90).toMillis(), e.getLeadTimeMillis());
                assertEquals(1, h.metrics().counter("bellwether.detect.escalations{anticipated=true}").getCount());
            }
        }

        @Test
        @DisplayName("should report an escalation nobody saw coming as not anticipated")
        void shouldReportSurpriseEscalation() {
            try (Harness h = Harness.eventTime(rules)) {
                Tickets t = ticket("T-1");
                h.send(t.created("2026-11-16T09:00:00Z").priority(Priority.P3).assign("alice"));
                h.send(t.update("2026-11-16T09:20:00Z").escalated(true));
                Escalation e = h.escalations().get(0);
                assertEquals(EscalationKind.ESCALATION_FLAG, e.getKind());
                assertFalse(e.getAnticipated());
                assertNull(e.getLeadTimeMillis());
            }
        }
    }

    @Test
    @DisplayName("should hold facts until every partition's clock has passed them when ticks carry alignment (replays)")
    void shouldAlignOnTicks() {
        try (Harness h = Harness.eventTime(ACCOUNT_RULES)) {
            h.alignedWatermark("2026-11-16T08:00:00Z");
            h.send(ticket("A-1").created("2026-11-16T09:00:00Z").category("Email"));
            h.send(ticket("A-2").created("2026-11-16T09:10:00Z").category("Email"));
            h.send(ticket("A-3").created("2026-11-16T09:20:00Z").category("Email"));
            assertEquals(List.of(), lifecycle(h, AccountRules.REPEAT, "acme"), "held until the clock passes");
            try (var held = h.<Object>store(StoreNames.AGGREGATE_HELD).all()) {
                assertTrue(held.hasNext(), "the facts wait in the pending store");
            }
            h.alignedWatermark("2026-11-16T09:30:00Z");
            assertEquals(List.of("RAISED ERROR 11-16T09:20"), lifecycle(h, AccountRules.REPEAT, "acme"));
            try (var held = h.<Object>store(StoreNames.AGGREGATE_HELD).all()) {
                assertFalse(held.hasNext());
            }
        }
    }

    @Test
    @DisplayName("should keep holding facts while any upstream partition has not ticked yet, however late this partition's clock is")
    void shouldHoldWhileAPartitionIsSilent() {
        try (Harness h = Harness.eventTime(ACCOUNT_RULES)) {
            h.alignedWatermark("2026-11-16T08:00:00Z", 2);
            h.send(ticket("A-1").created("2026-11-16T09:00:00Z").category("Email"));
            h.send(ticket("A-2").created("2026-11-16T09:10:00Z").category("Email"));
            h.send(ticket("A-3").created("2026-11-16T09:20:00Z").category("Email"));
            h.alignedWatermark("2026-11-16T12:00:00Z", 2);
            assertEquals(List.of(), lifecycle(h, AccountRules.REPEAT, "acme"), "partition 1 has no clock yet: its facts may still be older");
            try (var held = h.<Object>store(StoreNames.AGGREGATE_HELD).all()) {
                int count = 0;
                while (held.hasNext()) {
                    // Held for every aggregate stage; the account's are tagged 'a'.
                    count += held.next().key.contains("|aacme\u0000") ? 1 : 0;
                }
                assertEquals(3, count, "all three of the account's facts still wait");
            }
        }
    }
}
