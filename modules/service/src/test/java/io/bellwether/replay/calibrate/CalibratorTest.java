package io.bellwether.replay.calibrate;

import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.detect.testing.Tickets;
import io.bellwether.events.Priority;
import io.bellwether.events.TicketEvent;
import io.bellwether.replay.History;
import io.bellwether.replay.TicketOutcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration on a history whose thresholds are worked out by hand. Before the split (2026-11-16): 25 on-time P3 tickets
 * opened on Monday 2026-11-02, open 10 h, 11 h, ... 34 h; 25 on-time P3 tickets opened on Friday 2026-11-06, open 50 h ..
 * 74 h; 3 P3 tickets that missed; 20 P1 tickets, 19 of which missed; 5 P4 tickets. After the split: anything.
 */
class CalibratorTest {
    private static final Instant SPLIT = Instant.parse("2026-11-16T00:00:00Z");
    private static final Instant MONDAY = Instant.parse("2026-11-02T09:00:00Z");
    private static final Instant FRIDAY = Instant.parse("2026-11-06T09:00:00Z");

    private final List<TicketEvent> events = new ArrayList<>();
    private final Map<String, TicketOutcome> outcomes = new LinkedHashMap<>();
    private int next;

    private void ticket(Priority priority, Instant opened, double hoursOpen, boolean missed) {
        Tickets t = Tickets.ticket("T-" + next++);
        events.add(t.created(opened.toString()).priority(priority).event());
        Instant resolved = opened.plusSeconds(Math.round(hoursOpen * 3600));
        outcomes.put(t.key(), new TicketOutcome(t.key(), "acme", opened, resolved.plus(Duration.ofDays(5)), missed,
                missed ? resolved.plus(Duration.ofDays(5)) : null, 0, null, resolved));
    }

    private History history() {
        events.sort(java.util.Comparator.comparing(TicketEvent::getOccurredAt));
        return new History(List.copyOf(events), List.of(), new History.Stats(0, 0, 0, 0, outcomes.size(), 0, 0), Map.copyOf(outcomes));
    }

    private void before() {
        for (int i = 0; i < 25; i++) {
            ticket(Priority.P3, MONDAY.plusSeconds(60L * i), 10 + i, false);
            ticket(Priority.P3, FRIDAY.plusSeconds(60L * i), 50 + i, false);
        }
        for (int i = 0; i < 3; i++) {
            ticket(Priority.P3, MONDAY, 200, true);
        }
        for (int i = 0; i < 20; i++) {
            ticket(Priority.P1, MONDAY, 1, i != 0);
        }
        for (int i = 0; i < 5; i++) {
            ticket(Priority.P4, MONDAY, 30, false);
        }
    }

    private static final Calibrator.Settings SETTINGS = new Calibrator.Settings(0.9, 20, 20, 0.9, 20);

    @Test
    @DisplayName("should learn a priority's threshold as the quantile of its on-time tickets' open time, and a weekday's where it has enough")
    void shouldLearnThresholds() {
        before();
        Calibrator.Calibration c = Calibrator.calibrate(history(), SPLIT, SETTINGS, ZoneOffset.UTC);
        assertEquals(78, c.tickets());
        assertEquals(3 + 19, c.missed());
        Calibrator.Threshold p3 = find(c, Priority.P3, null);
        // 50 on-time P3 tickets; the 90 % quantile (nearest rank) is the 45th: the Friday ticket open 50 + 19 = 69 h.
        assertEquals(Duration.ofHours(69), p3.after());
        assertEquals("90% of the 50 P3 tickets opened before 2026-11-16 that made SLA were resolved within 69h", p3.basis());
        // Per day, 25 each: the 23rd; on Monday 10 + 22 = 32 h, on Friday 50 + 22 = 72 h.
        assertEquals(Duration.ofHours(32), find(c, Priority.P3, DayOfWeek.MONDAY).after());
        assertEquals(Duration.ofHours(72), find(c, Priority.P3, DayOfWeek.FRIDAY).after());
        Calibrator.Threshold p1 = find(c, Priority.P1, null);
        assertEquals(Duration.ZERO, p1.after(), "one on-time ticket is too few for a quantile, 19 of 20 missed: flagged at once");
        assertEquals("19 of the 20 P1 tickets opened before 2026-11-16 missed SLA (95%)", p1.basis());
        assertFalse(find(c, Priority.P4, null).learned(), "5 tickets: too few to learn from");
    }

    @Test
    @DisplayName("should write a rules file that parses and gives the alert the learned thresholds, each with its basis")
    void shouldWriteRules() {
        before();
        String yaml = CalibratedRules.yaml(Calibrator.calibrate(history(), SPLIT, SETTINGS, ZoneOffset.UTC), "export.csv", "m.yaml");
        Rules rules = RulesParser.parse(yaml, "calibrated.yaml");
        RuleSet.TicketAlert alert = rules.defaults().ticketAlert();
        assertTrue(alert.raiseOn().isEmpty(), "the learned thresholds alone raise");
        assertEquals(Duration.ofHours(32), alert.likelyToMiss().get(Priority.P3).forDay(DayOfWeek.MONDAY));
        assertEquals(Duration.ofHours(69), alert.likelyToMiss().get(Priority.P3).forDay(DayOfWeek.TUESDAY), "no day of its own: the priority's");
        assertEquals(Duration.ZERO, alert.likelyToMiss().get(Priority.P1).forDay(DayOfWeek.SUNDAY));
        assertNull(alert.likelyToMiss().get(Priority.P4));
        assertTrue(alert.basisFor(Priority.P3, DayOfWeek.FRIDAY).contains("opened on a Friday"), alert.basisFor(Priority.P3, DayOfWeek.FRIDAY));
        assertTrue(yaml.contains("# 5 P4 tickets opened before 2026-11-16, 5 of them made SLA: too few to learn from"), yaml);
    }

    @Test
    @DisplayName("should not let any ticket opened on or after the split change a single number")
    void shouldIgnoreTheScoredPart() {
        before();
        String alone = CalibratedRules.yaml(Calibrator.calibrate(history(), SPLIT, SETTINGS, ZoneOffset.UTC), "export.csv", "m.yaml");
        for (int i = 0; i < 200; i++) {
            ticket(Priority.P3, SPLIT.plusSeconds(3600L * i), i % 7 * 13, i % 3 == 0);
            ticket(Priority.P4, SPLIT, 400, false);
        }
        ticket(Priority.P3, SPLIT, 1000, false);
        String withLater = CalibratedRules.yaml(Calibrator.calibrate(history(), SPLIT, SETTINGS, ZoneOffset.UTC), "export.csv", "m.yaml");
        assertEquals(alone, withLater);
    }

    private static Calibrator.Threshold find(Calibrator.Calibration c, Priority p, DayOfWeek day) {
        return c.thresholds().stream().filter(t -> t.priority() == p && t.day() == day).findFirst().orElseThrow();
    }
}
