package io.bellwether.detect.time;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/** Calendar weeks, Monday to Sunday in a zone, named by their Monday's epoch day. */
public final class WorkWeeks {
    private WorkWeeks() {
    }

    /** The week {@code at} falls in, in {@code zone}. */
    public static long weekOf(long at, ZoneId zone) {
        return Instant.ofEpochMilli(at).atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay();
    }

    /** The moment week {@code week} starts (Monday 00:00 in {@code zone}, whatever the clocks did that night). */
    public static long startOf(long week, ZoneId zone) {
        return LocalDate.ofEpochDay(week).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
