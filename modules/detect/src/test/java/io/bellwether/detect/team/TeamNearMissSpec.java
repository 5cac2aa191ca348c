package io.bellwether.detect.team;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.DayCount;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.testing.Harness;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.SubjectType;
import io.bellwether.events.TicketEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NEAR_MISS_RATE of a team: the share of a team's resolutions that used over 90 % of their resolution SLA (and not all
 * of it), over 14 days, against the team's own share over the 56 days before (built-in: at least 2x the norm and 20 %,
 * 5 resolutions, 3 near-misses), decided in the technician stage on the team as the subject. Every ticket here has a
 * 10 h resolution SLA, round the clock; the accounts are spread so no account alone reaches the bar.
 */
class TeamNearMissSpec {
    private static final Rules RULES = Harness.rules("""
            defaults:
              calendar: 24x7
              sla: {response: {default: 10h}, resolution: {default: 10h}}
              aging: {enabled: false}
              unassigned: {enabled: false}
              noAccountOwner: {enabled: false}
              repeatFriction: {enabled: false}
              reopenRate: {enabled: false}
            technicians:
              overload: {enabled: false}
            """);
    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    private static final Duration NEAR = Duration.ofMinutes(9 * 60 + 30);
    private static final Duration EASY = Duration.ofHours(1);
    private static int sequence;

    /** A ticket of {@code team} opened at {@code opened} and resolved {@code after} later, each on an account of its own. */
    private static String resolvedAfter(Harness h, String team, Instant opened, Duration after) {
        String id = "TNM-" + (++sequence);
        h.send(ticket(id).created(opened.toString()).account("acct-" + sequence).team(team).assign("dana"));
        h.send(ticket(id).update(opened.plus(after).toString()).account("acct-" + sequence).team(team).assign("dana")
                .status(StatusCategory.RESOLVED));
        return id;
    }

    private static List<RiskSignal> teamSignals(Harness h, String team) {
        return h.signals().stream().filter(s -> s.getKind() == SignalKind.NEAR_MISS_RATE && s.getSubject().getType() == SubjectType.TEAM
                && team.equals(s.getSubject().getId())).toList();
    }

    private static List<RiskSignal> accountSignals(Harness h) {
        return h.signals().stream().filter(s -> s.getKind() == SignalKind.NEAR_MISS_RATE && s.getSubject().getType() == SubjectType.ACCOUNT)
                .toList();
    }

    private static DayCount day(Harness h, String team, Instant at) {
        long day = Math.floorDiv(at.toEpochMilli(), 86_400_000L);
        return h.<TeamState>store(StoreNames.TEAM_STATE).get(team).getDays().stream().filter(d -> d.getDay() == day).findFirst()
                .orElseThrow();
    }

    @Test
    @DisplayName("should raise on a team whose resolutions keep coming in just under the SLA, though no single account does")
    void shouldRaiseOnTheTeam() {
        try (Harness h = Harness.eventTime(RULES)) {
            resolvedAfter(h, "Network", T0, EASY);
            resolvedAfter(h, "Network", T0.plusSeconds(60), Duration.ofHours(11));
            resolvedAfter(h, "Network", T0.plusSeconds(120), NEAR);
            resolvedAfter(h, "Network", T0.plusSeconds(180), NEAR);
            assertEquals(List.of(), teamSignals(h, "Network"), "two near-misses are not yet a trend");
            resolvedAfter(h, "Network", T0.plusSeconds(240), Duration.ofMinutes(9 * 60 + 50));

            DayCount today = day(h, "Network", T0);
            assertEquals(5, today.getResolved());
            assertEquals(3, today.getNearMisses());
            assertEquals(1, today.getBreaches(), "11 h of 10 h is a breach, not a near-miss");
            List<RiskSignal> raised = teamSignals(h, "Network");
            assertEquals(1, raised.size(), raised.toString());
            assertEquals(SignalState.RAISED, raised.get(0).getState());
            assertEquals(Severity.ERROR, raised.get(0).getSeverity(), "60 % is at least twice the 20 % bar");
            assertEquals("team-near-miss-rate/team/Network", raised.get(0).getDedupKey());
            assertEquals(T0.plusSeconds(240).plus(Duration.ofMinutes(9 * 60 + 50)), raised.get(0).getOccurredAt(), "on the third near-miss");
            assertEquals("0.6", raised.get(0).getEvidence().getFacts().get("rate"));
            assertEquals("0.2", raised.get(0).getEvidence().getFacts().get("breachRate"));
            assertTrue(raised.get(0).getReason().startsWith("Team Network near-miss rate 60% (3 of 5 resolutions in 14d"), raised.get(0).getReason());
            assertEquals(List.of(), accountSignals(h), "each account resolved one ticket: below every account's minimum");
        }
    }

    @Test
    @DisplayName("should count a resolution for the team that resolved it, not the team the ticket started in")
    void shouldCountForTheResolvingTeam() {
        try (Harness h = Harness.eventTime(RULES)) {
            for (int i = 0; i < 3; i++) {
                String id = "MOVED-" + i;
                Instant opened = T0.plusSeconds(60L * i);
                h.send(ticket(id).created(opened.toString()).account("globex").team("Service Desk").assign("dana"));
                // Moved and resolved in one event: both teams hear of it, only the new one resolved it.
                h.send(ticket(id).update(opened.plus(NEAR).toString()).account("globex").team("Network").assign("omar")
                        .status(StatusCategory.RESOLVED));
            }
            assertEquals(3, day(h, "Network", T0).getNearMisses());
            TeamState desk = h.<TeamState>store(StoreNames.TEAM_STATE).get("Service Desk");
            assertTrue(desk == null || desk.getDays().isEmpty(), "the team the tickets left resolved nothing: " + desk);
        }
    }

    @Test
    @DisplayName("should count a duplicated resolution once, and a late one on its own day")
    void shouldCountDuplicatesOnceAndLateEventsOnTheirDay() {
        try (Harness h = Harness.eventTime(RULES)) {
            String id = "DUP-1";
            h.send(ticket(id).created(T0.toString()).account("acme").team("Network").assign("dana"));
            TicketEvent resolution = ticket(id).update(T0.plus(NEAR).toString()).account("acme").team("Network").assign("dana")
                    .status(StatusCategory.RESOLVED).event();
            h.send(resolution);
            h.send(resolution);
            // A day later the PSA delivers an older resolution (opened two days before T0, resolved the day before).
            h.send(ticket("LATE-1").created(T0.minus(Duration.ofDays(2)).toString()).account("acme").team("Network").assign("dana"));
            h.watermark(T0.plus(Duration.ofDays(1)).toString());
            h.send(ticket("LATE-1").update(T0.minus(Duration.ofDays(2)).plus(EASY).toString()).account("acme").team("Network")
                    .assign("dana").status(StatusCategory.RESOLVED));

            assertEquals(1, day(h, "Network", T0).getResolved(), "the duplicate resolution is the same event");
            assertEquals(1, day(h, "Network", T0).getNearMisses());
            assertEquals(1, day(h, "Network", T0.minus(Duration.ofDays(2))).getResolved(), "counted on the day it happened");
        }
    }

    @Test
    @DisplayName("should judge a team against its own norm, and resolve at the UTC midnight the near-misses leave the window")
    void shouldJudgeAgainstTheTeamsNormAndResolveWhenTheWindowMovesOn() {
        try (Harness h = Harness.eventTime(RULES)) {
            Instant monthAgo = T0.minus(Duration.ofDays(30));
            for (int i = 0; i < 10; i++) {
                resolvedAfter(h, "Desktop", monthAgo.plus(Duration.ofDays(i)), i % 2 == 0 ? NEAR : EASY);
            }
            for (int i = 0; i < 5; i++) {
                resolvedAfter(h, "Desktop", T0.plusSeconds(60L * i), i < 3 ? NEAR : EASY);
                resolvedAfter(h, "Network", T0.plusSeconds(60L * i), i < 3 ? NEAR : EASY);
            }
            assertTrue(teamSignals(h, "Desktop").stream().noneMatch(s -> !s.getOccurredAt().isBefore(T0) && s.getState() == SignalState.RAISED),
                    "60 % is Desktop's usual half, not twice it: " + teamSignals(h, "Desktop"));
            assertEquals(SignalState.RAISED, teamSignals(h, "Network").get(0).getState(), "Network has no such norm");

            // The near-misses happened on 2026-11-02; the 14-day window (today included) drops that day at 2026-11-16T00:00Z.
            h.watermark("2026-11-15T23:59:59Z");
            List<RiskSignal> before = teamSignals(h, "Network");
            assertEquals(SignalState.RAISED, before.get(before.size() - 1).getState());
            h.watermark("2026-11-16T00:00:01Z");
            List<RiskSignal> after = teamSignals(h, "Network");
            RiskSignal last = after.get(after.size() - 1);
            assertEquals(SignalState.RESOLVED, last.getState(), after.toString());
            assertEquals(Instant.parse("2026-11-16T00:00:00Z"), last.getOccurredAt(), "at the moment the window moved, by event time");
        }
    }
}
