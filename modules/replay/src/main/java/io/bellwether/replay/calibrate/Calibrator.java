package io.bellwether.replay.calibrate;

import io.bellwether.events.Priority;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketKeys;
import io.bellwether.replay.History;
import io.bellwether.replay.TicketOutcome;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Learns, per priority, when a still-open ticket has become likely to miss its SLA, from the tickets opened before a
 * split date only (their whole record, outcome included; no ticket opened on or after the date is read). The rule is
 * one a manager can check by hand: past the {@code quantile} of the time the tickets that <em>made</em> their SLA took to
 * be resolved, a ticket is rarely going to make it. It depends only on the on-time tickets, so a period with unusually
 * many misses does not drag the thresholds down. Where a priority has enough on-time tickets opened on a given weekday,
 * that day gets its own threshold: SLAs counted in working days give a ticket opened before a weekend more wall time
 * (on the ServiceNow history, P3 tickets opened on a Monday that made SLA were resolved within 81 h, on a Friday within
 * 137 h). A priority with too few on-time tickets to say, but that nearly always
 * missed, is flagged at once; one with too little history is left out (it never raises on age alone).
 *
 * <p>Where the export records no SLA outcome, "went bad" (reopened, escalated) stands in for a miss.
 */
public final class Calibrator {

    /**
     * @param quantile     share of on-time tickets resolved within the threshold (0.99: one on-time ticket in a hundred is
     *                     still flagged)
     * @param minOnTime    on-time tickets a priority needs for a quantile
     * @param minTickets   tickets a priority needs for the "nearly always missed" rule
     * @param nearlyAlways the miss rate that flags a priority at once
     * @param minOnTimeDay on-time tickets opened on one weekday needed for that day's own threshold
     */
    public record Settings(double quantile, int minOnTime, int minTickets, double nearlyAlways, int minOnTimeDay) {
        public static Settings defaults() {
            return new Settings(0.99, 20, 20, 0.9, 50);
        }

        public Settings withQuantile(double q) {
            return new Settings(q, minOnTime, minTickets, nearlyAlways, minOnTimeDay);
        }
    }

    /** One priority's (or one priority and opening day's) learned threshold, or why there is none. */
    public record Threshold(Priority priority, DayOfWeek day, Duration after, long tickets, long onTime, long missed, String basis) {
        public boolean learned() {
            return after != null;
        }
    }

    /** What was learned, from what. */
    public record Calibration(Instant until, ZoneId zone, long tickets, long missed, boolean slaOutcome, Settings settings, List<Threshold> thresholds) {
    }

    private Calibrator() {
    }

    /** @param zone where a ticket's opening weekday is read: the rules' calendar zone, as the alert reads it */
    public static Calibration calibrate(History history, Instant until, Settings settings, ZoneId zone) {
        Map<String, Priority> priorityAtEnd = priorities(history.events(), history.outcomes());
        boolean slaOutcome = history.outcomes().values().stream().anyMatch(TicketOutcome::slaMissed);
        Map<Priority, List<Long>> onTime = new EnumMap<>(Priority.class);
        Map<Priority, Map<DayOfWeek, List<Long>>> onTimeByDay = new EnumMap<>(Priority.class);
        Map<Priority, long[]> counts = new EnumMap<>(Priority.class);
        long tickets = 0;
        long missedAll = 0;
        for (TicketOutcome o : history.outcomes().values()) {
            if (o.openedAt() == null || !o.openedAt().isBefore(until) || o.openUntil() == null) {
                continue;
            }
            Priority p = priorityAtEnd.getOrDefault(o.ticketKey(), Priority.UNKNOWN);
            boolean missed = slaOutcome ? o.slaMissed() : o.wentBad();
            long open = Math.max(0, Duration.between(o.openedAt(), o.openUntil()).toMillis());
            tickets++;
            long[] c = counts.computeIfAbsent(p, k -> new long[2]);
            c[0]++;
            if (missed) {
                c[1]++;
                missedAll++;
            } else {
                onTime.computeIfAbsent(p, k -> new ArrayList<>()).add(open);
                onTimeByDay.computeIfAbsent(p, k -> new EnumMap<>(DayOfWeek.class))
                        .computeIfAbsent(o.openedAt().atZone(zone).getDayOfWeek(), k -> new ArrayList<>()).add(open);
            }
        }
        String untilDay = until.toString().substring(0, 10);
        String before = "opened before " + untilDay;
        String outcome = slaOutcome ? "made SLA" : "went well";
        String miss = slaOutcome ? "missed SLA" : "went bad";
        List<Threshold> thresholds = new ArrayList<>();
        for (Priority p : Priority.values()) {
            long[] c = counts.getOrDefault(p, new long[2]);
            List<Long> fine = onTime.getOrDefault(p, List.of());
            if (fine.size() >= settings.minOnTime()) {
                Duration after = quantile(fine, settings.quantile());
                thresholds.add(new Threshold(p, null, after, c[0], fine.size(), c[1], String.format(Locale.ROOT,
                        "%s of the %,d %s tickets %s that %s were resolved within %s", percent(settings.quantile()), fine.size(), p,
                        before, outcome, human(after))));
                for (Map.Entry<DayOfWeek, List<Long>> day : onTimeByDay.getOrDefault(p, Map.of()).entrySet()) {
                    if (day.getValue().size() >= settings.minOnTimeDay()) {
                        Duration dayAfter = quantile(day.getValue(), settings.quantile());
                        thresholds.add(new Threshold(p, day.getKey(), dayAfter, 0, day.getValue().size(), 0, String.format(Locale.ROOT,
                                "%s of the %,d %s tickets opened on a %s before %s that %s were resolved within %s", percent(settings.quantile()),
                                day.getValue().size(), p, dayName(day.getKey()), untilDay, outcome, human(dayAfter))));
                    }
                }
            } else if (c[0] >= settings.minTickets() && (double) c[1] / c[0] >= settings.nearlyAlways()) {
                thresholds.add(new Threshold(p, null, Duration.ZERO, c[0], fine.size(), c[1], String.format(Locale.ROOT,
                        "%,d of the %,d %s tickets %s %s (%s)", c[1], c[0], p, before, miss, percent((double) c[1] / c[0]))));
            } else if (c[0] > 0) {
                thresholds.add(new Threshold(p, null, null, c[0], fine.size(), c[1], String.format(Locale.ROOT,
                        "%,d %s tickets %s, %,d of them %s: too few to learn from", c[0], p, before, fine.size(), outcome)));
            }
        }
        return new Calibration(until, zone, tickets, missedAll, slaOutcome, settings, thresholds);
    }

    /** The {@code q} quantile (nearest rank) of durations in milliseconds, rounded up to the minute. */
    private static Duration quantile(List<Long> millis, double q) {
        List<Long> sorted = new ArrayList<>(millis);
        sorted.sort(Long::compare);
        long at = sorted.get((int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1)));
        return Duration.ofMinutes((at + 59_999) / 60_000);
    }

    private static String dayName(DayOfWeek day) {
        return day.getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
    }

    /** Each ticket's priority when it was first resolved (or at its last event): the priority its clock ran under. */
    private static Map<String, Priority> priorities(List<TicketEvent> events, Map<String, TicketOutcome> outcomes) {
        Map<String, Priority> at = new HashMap<>();
        for (TicketEvent e : events) {
            String key = TicketKeys.ticketKey(e);
            TicketOutcome o = outcomes.get(key);
            if (o != null && o.openUntil() != null && e.getOccurredAt().isAfter(o.openUntil())) {
                continue;
            }
            at.put(key, e.getPriorityLevel());
        }
        return at;
    }

    public static String percent(double fraction) {
        double pct = fraction * 100;
        return (Math.abs(pct - Math.rint(pct)) < 1e-9 ? String.valueOf((long) Math.rint(pct)) : String.format(Locale.ROOT, "%.1f", pct)) + "%";
    }

    /** "121h55m", "45m", "0m": the rules file's duration syntax. */
    public static String human(Duration d) {
        long minutes = d.toMinutes();
        long hours = minutes / 60;
        return hours == 0 ? minutes + "m" : minutes % 60 == 0 ? hours + "h" : hours + "h" + (minutes % 60) + "m";
    }
}
