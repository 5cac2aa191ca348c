package io.bellwether.detect.team;

import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.WeekLoad;
import io.bellwether.detect.testing.Harness;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.ActorType;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static io.bellwether.detect.testing.Tickets.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SUSTAINED_LOAD: a technician heavy in at least 3 of the last 4 complete calendar weeks: at least twice the team's
 * median of tickets worked that week (and at least 6 here, in a team of at least 3 who worked), or work of their own
 * outside their calendar's hours on at least 3 days of the week. Weeks and hours are the technician's calendar's: here an office in London
 * (09:00-17:00 Monday to Friday), so British Summer Time ends inside the weeks played (Sunday 2026-10-25).
 */
class SustainedLoadSpec {
    private static final Rules RULES = Harness.rules("""
            calendars:
              london:
                zone: Europe/London
                hours: {mon-fri: "09:00-17:00"}
                holidays: []
            defaults:
              sla: {enabled: false}
              aging: {enabled: false}
              unassigned: {enabled: false}
              noAccountOwner: {enabled: false}
              repeatFriction: {enabled: false}
              reopenRate: {enabled: false}
            technicians:
              overload: {enabled: false}
              dependencyMagnet: {enabled: false}
              sustainedLoad:
                weeks: 4
                minWeeks: 3
                loadFactor: 2.0
                minTickets: 6
                minTechnicians: 3
                outOfHoursDays: 3
                calendar: london
            """);
    /** Mondays of four consecutive London weeks; the third holds the end of summer time. */
    private static final LocalDate[] WEEKS = {LocalDate.parse("2026-10-05"), LocalDate.parse("2026-10-12"),
            LocalDate.parse("2026-10-19"), LocalDate.parse("2026-10-26")};
    private static int sequence;

    /** {@code count} tickets opened and worked by {@code technician} on the Tuesday of the week, in office hours. */
    private static void works(Harness h, String technician, LocalDate monday, int count) {
        for (int i = 0; i < count; i++) {
            Instant at = monday.plusDays(1).atTime(10, i % 60).atZone(java.time.ZoneId.of("Europe/London")).toInstant();
            h.send(ticket("W-" + (++sequence)).created(at.toString()).assign(technician).status(StatusCategory.IN_PROGRESS));
        }
    }

    private static List<RiskSignal> people(Harness h) {
        return h.people().stream().map(kv -> kv.value).toList();
    }

    private static WeekLoad week(Harness h, String team, String technician, LocalDate monday) {
        TeamState state = h.<TeamState>store(StoreNames.TEAM_STATE).get(team);
        assertNotNull(state, "no state for team " + team);
        return state.getLoad().getOrDefault(technician, List.of()).stream().filter(w -> w.getWeek() == monday.toEpochDay())
                .findFirst().orElse(null);
    }

    @Test
    @DisplayName("should raise on people-signals, never on risk-signals, when a technician worked twice the team's median in three weeks running, at the London week's start after the clocks went back")
    void shouldRaiseAfterThreeHeavyWeeks() {
        try (Harness h = Harness.eventTime(RULES)) {
            for (int w = 0; w < 3; w++) {
                works(h, "dana", WEEKS[w], 8);
                works(h, "bob", WEEKS[w], 3);
                works(h, "carl", WEEKS[w], 4);
                works(h, "erin", WEEKS[w], 2);
            }
            assertEquals(8, week(h, "Service Desk", "dana", WEEKS[2]).getTickets());
            assertEquals(List.of(), people(h), "the third week is not over yet");

            // Monday 2026-10-26 00:00 in London is 00:00Z (GMT again): a fixed +01:00 would have decided an hour early.
            h.watermark("2026-10-25T23:30:00Z");
            assertEquals(List.of(), people(h));
            h.watermark("2026-10-26T00:00:01Z");
            List<KeyValue<String, RiskSignal>> out = h.people();
            assertEquals(1, out.size(), out.toString());
            RiskSignal raised = out.get(0).value;
            assertEquals("sustained-load/technician/Service Desk/dana", out.get(0).key);
            assertEquals(SignalKind.SUSTAINED_LOAD, raised.getKind());
            assertEquals(SignalState.RAISED, raised.getState());
            assertEquals(Severity.WARNING, raised.getSeverity(), "three heavy weeks of four; all four would be an ERROR");
            assertEquals(Instant.parse("2026-10-26T00:00:00Z"), raised.getOccurredAt());
            assertEquals("3", raised.getEvidence().getFacts().get("heavyWeeks"));
            assertEquals("8 tickets against a team median of 3.5", raised.getEvidence().getFacts().get("week 2026-10-19"));
            assertEquals("manager", raised.getLabels().get("audience"));
            assertTrue(h.signals().stream().noneMatch(s -> s.getKind() == SignalKind.SUSTAINED_LOAD), "never on risk-signals");
        }
    }

    @Test
    @DisplayName("should resolve at the week's start when the heavy weeks leave the look-back")
    void shouldResolveWhenTheHeavyWeeksAgeOut() {
        try (Harness h = Harness.eventTime(RULES)) {
            for (int w = 0; w < 3; w++) {
                works(h, "dana", WEEKS[w], 8);
                works(h, "bob", WEEKS[w], 3);
                works(h, "carl", WEEKS[w], 4);
            }
            h.watermark("2026-10-26T00:00:01Z");
            assertEquals(SignalState.RAISED, people(h).get(0).getState());
            works(h, "dana", WEEKS[3], 3);
            works(h, "bob", WEEKS[3], 3);
            works(h, "carl", WEEKS[3], 3);
            // On Monday 2026-11-02 the last four weeks (10-05 to 10-26) still hold three heavy ones.
            h.watermark("2026-11-02T00:00:01Z");
            assertTrue(people(h).stream().noneMatch(s -> s.getState() == SignalState.RESOLVED));
            // From Monday 2026-11-09 they hold two: the week of 10-05 has left.
            h.watermark("2026-11-09T00:00:01Z");
            List<RiskSignal> out = people(h);
            RiskSignal last = out.get(out.size() - 1);
            assertEquals(SignalState.RESOLVED, last.getState(), out.toString());
            assertEquals(Instant.parse("2026-11-09T00:00:00Z"), last.getOccurredAt());
        }
    }

    @Test
    @DisplayName("should not raise in a team of two, however uneven, nor for a team whose load is even")
    void shouldNeedATeamAndAnOutlier() {
        try (Harness h = Harness.eventTime(RULES)) {
            for (int w = 0; w < 4; w++) {
                for (String tech : List.of("ann", "ben", "cat")) {
                    works(h, tech, WEEKS[w], 9);
                }
            }
            h.watermark("2026-11-02T00:00:01Z");
            assertEquals(List.of(), people(h), "everyone at the median is no outlier");
        }
        try (Harness h = Harness.eventTime(RULES)) {
            for (int w = 0; w < 4; w++) {
                works(h, "dana", WEEKS[w], 12);
                works(h, "bob", WEEKS[w], 2);
            }
            h.watermark("2026-11-02T00:00:01Z");
            assertEquals(List.of(), people(h), "two technicians are not a team to take a median of");
        }
    }

    @Test
    @DisplayName("should count a technician's own events outside their London hours, before and after the clocks went back, and not a colleague's")
    void shouldCountOutOfHoursInTheTechniciansZone() {
        try (Harness h = Harness.eventTime(RULES)) {
            String[] evenings = {
                    // 18:30 BST, 17:30 BST (both after 17:00 in London), 08:30 BST: out of hours in summer time.
                    "2026-10-06T17:30:00Z", "2026-10-07T16:30:00Z", "2026-10-08T07:30:00Z",
                    "2026-10-13T17:30:00Z", "2026-10-14T16:30:00Z", "2026-10-15T07:30:00Z",
                    // After the change: 17:30 GMT and 08:30 GMT are out of hours, 16:30 GMT is not.
                    "2026-10-27T17:30:00Z", "2026-10-28T08:30:00Z", "2026-10-29T16:30:00Z"};
            Tickets t = ticket("LATE-1");
            h.send(t.created("2026-10-05T10:00:00Z").assign("olga").status(StatusCategory.IN_PROGRESS));
            for (String at : evenings) {
                h.send(t.update(at).by("olga").status(StatusCategory.IN_PROGRESS));
            }
            // A colleague's night-time update of olga's ticket is not olga working late.
            h.send(t.update("2026-10-29T22:00:00Z").by("night-shift").status(StatusCategory.IN_PROGRESS));
            // A customer writing at night is not work at all.
            h.send(t.update("2026-10-29T23:00:00Z").by(null).actor(ActorType.CUSTOMER).status(StatusCategory.IN_PROGRESS));

            assertEquals(3, Integer.bitCount(week(h, "Service Desk", "olga", WEEKS[0]).getLateDays()));
            assertEquals(3, Integer.bitCount(week(h, "Service Desk", "olga", WEEKS[1]).getLateDays()));
            assertEquals(2, Integer.bitCount(week(h, "Service Desk", "olga", WEEKS[3]).getLateDays()), "16:30 GMT is in hours; the others' events are not hers");
            assertEquals(1, week(h, "Service Desk", "olga", WEEKS[3]).getTickets(), "one ticket, counted once in the week");
            h.watermark("2026-11-02T00:00:01Z");
            assertEquals(List.of(), people(h), "two weeks of late work, and a third with only two late events: not yet");
            h.send(t.update("2026-10-28T19:00:00Z").by("olga").status(StatusCategory.IN_PROGRESS));
            assertEquals(List.of(), people(h), "a late event older than the ticket's last is not counted");
        }
    }

    @Test
    @DisplayName("should count a redelivered event once, a late evening once however busy, and a ticket once per technician and week")
    void shouldCountDuplicatesOnce() {
        try (Harness h = Harness.eventTime(RULES)) {
            Tickets t = ticket("DUP-1");
            h.send(t.created("2026-10-06T10:00:00Z").assign("dana").status(StatusCategory.IN_PROGRESS));
            TicketEvent night = t.update("2026-10-06T21:00:00Z").by("dana").status(StatusCategory.IN_PROGRESS).event();
            h.send(night);
            h.send(night);
            h.send(t.update("2026-10-06T22:30:00Z").by("dana").status(StatusCategory.IN_PROGRESS));
            h.send(t.update("2026-10-07T11:00:00Z").by("dana").status(StatusCategory.IN_PROGRESS));
            h.send(t.update("2026-10-13T11:00:00Z").by("dana").status(StatusCategory.IN_PROGRESS));
            assertEquals(1, week(h, "Service Desk", "dana", WEEKS[0]).getTickets());
            assertEquals(1, Integer.bitCount(week(h, "Service Desk", "dana", WEEKS[0]).getLateDays()), "one late evening: its redelivery is the same event, a second late event the same day");
            assertEquals(1, week(h, "Service Desk", "dana", WEEKS[1]).getTickets(), "a new week counts the ticket again");
        }
    }

    @Test
    @DisplayName("should raise on three weeks of late work alone, as an out-of-hours pattern")
    void shouldRaiseOnOutOfHoursWeeks() {
        try (Harness h = Harness.eventTime(RULES)) {
            Tickets t = ticket("NIGHTS");
            h.send(t.created("2026-10-05T10:00:00Z").assign("olga").status(StatusCategory.IN_PROGRESS));
            for (int w = 0; w < 3; w++) {
                for (int d = 0; d < 3; d++) {
                    Instant at = WEEKS[w].plusDays(d).atTime(20, 0).atZone(java.time.ZoneId.of("Europe/London")).toInstant();
                    h.send(t.update(at.toString()).by("olga").status(StatusCategory.IN_PROGRESS));
                }
            }
            h.watermark(Instant.parse("2026-10-26T00:00:00Z").plus(Duration.ofSeconds(1)).toString());
            List<RiskSignal> out = people(h);
            assertEquals(1, out.size(), out.toString());
            assertEquals("out of hours on 3 days", out.get(0).getEvidence().getFacts().get("week 2026-10-12"));
            assertTrue(out.get(0).getReason().startsWith("olga was heavily loaded in 3 of the last 4 weeks in team Service Desk"), out.get(0).getReason());
        }
    }
}
