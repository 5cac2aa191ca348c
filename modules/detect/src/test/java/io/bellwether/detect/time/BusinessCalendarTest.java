package io.bellwether.detect.time;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusinessCalendarTest {

    static BusinessCalendar officeHours(String zone, Set<LocalDate> holidays) {
        Map<DayOfWeek, List<BusinessCalendar.Hours>> weekly = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            weekly.put(d, List.of(new BusinessCalendar.Hours(LocalTime.of(8, 0), LocalTime.of(18, 0))));
        }
        return new BusinessCalendar(zone, ZoneId.of(zone), weekly, holidays);
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static long hours(double h) {
        return (long) (h * 3_600_000);
    }

    @Test
    @DisplayName("should count working hours across the autumn DST change in Berlin (25 Oct 2026) by local wall clock")
    void shouldCountAcrossBerlinFallBack() {
        BusinessCalendar berlin = officeHours("Europe/Berlin", Set.of());
        // Fri 23 Oct 17:00 CEST (15:00Z) + 4 business hours = Mon 26 Oct 11:00 CET (10:00Z).
        long friday = at("2026-10-23T15:00:00Z");
        assertEquals(at("2026-10-26T10:00:00Z"), berlin.plus(friday, hours(4)));
        assertEquals(hours(4), berlin.between(friday, at("2026-10-26T10:00:00Z")));
    }

    @Test
    @DisplayName("should count working hours across the New York change a week later (1 Nov 2026), independently of Berlin")
    void shouldCountAcrossNewYorkFallBack() {
        BusinessCalendar newYork = officeHours("America/New_York", Set.of());
        // Fri 30 Oct 17:00 EDT (21:00Z) + 4h = Mon 2 Nov 11:00 EST (16:00Z): the offset moved from -4 to -5.
        assertEquals(at("2026-11-02T16:00:00Z"), newYork.plus(at("2026-10-30T21:00:00Z"), hours(4)));
        BusinessCalendar berlin = officeHours("Europe/Berlin", Set.of());
        // The same Friday 21:00Z is after hours in Berlin: 4 hours later is Monday 12:00 CET (11:00Z).
        assertEquals(at("2026-11-02T11:00:00Z"), berlin.plus(at("2026-10-30T21:00:00Z"), hours(4)));
    }

    @Test
    @DisplayName("should count a 24x7 day of 23 hours on the spring change (29 Mar 2026 in Berlin)")
    void shouldCountShortDayOnSpringChange() {
        BusinessCalendar allDay = BusinessCalendar.twentyFourSeven("24x7", ZoneId.of("Europe/Berlin"));
        assertEquals(hours(23), allDay.between(at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z")));
        Map<DayOfWeek, List<BusinessCalendar.Hours>> weekly = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            weekly.put(d, List.of(new BusinessCalendar.Hours(LocalTime.MIDNIGHT, LocalTime.MAX)));
        }
        BusinessCalendar roundTheClockWithHoliday = new BusinessCalendar("c", ZoneId.of("Europe/Berlin"), weekly, Set.of(LocalDate.of(2026, 12, 25)));
        assertFalse(roundTheClockWithHoliday.isAlwaysOpen());
        assertEquals(hours(23), roundTheClockWithHoliday.between(at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z")),
                "local midnight to midnight is 23 hours that day");
    }

    @Test
    @DisplayName("should skip weekends and holidays")
    void shouldSkipWeekendsAndHolidays() {
        BusinessCalendar london = officeHours("Europe/London", Set.of(LocalDate.of(2026, 12, 25)));
        // Thu 24 Dec 17:00 + 2h: Friday 25th is a holiday, then the weekend: Mon 28 Dec 09:00 (GMT).
        assertEquals(at("2026-12-28T09:00:00Z"), london.plus(at("2026-12-24T17:00:00Z"), hours(2)));
        assertEquals(0, london.between(at("2026-12-25T08:00:00Z"), at("2026-12-27T23:00:00Z")));
        assertFalse(london.isWorkingTime(at("2026-12-26T10:00:00Z")));
        assertTrue(london.isWorkingTime(at("2026-12-28T10:00:00Z")));
    }

    @Test
    @DisplayName("should end the Nth working day after the opening day at close of business")
    void shouldFindEndOfWorkingDays() {
        BusinessCalendar utc = officeHours("UTC", Set.of());
        // Opened Wed 18 Nov: 5 working days after are Thu, Fri, Mon, Tue, Wed 25th -> 18:00.
        assertEquals(at("2026-11-25T18:00:00Z"), utc.endOfWorkingDaysAfter(at("2026-11-18T10:00:00Z"), 5));
    }

    @Test
    @DisplayName("should make plus and between inverse for any start and amount, in several zones (property)")
    void shouldKeepPlusAndBetweenInverse() {
        Random random = new Random(42);
        for (String zone : List.of("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata")) {
            BusinessCalendar calendar = officeHours(zone, Set.of(LocalDate.of(2026, 12, 25), LocalDate.of(2026, 1, 1)));
            for (int i = 0; i < 500; i++) {
                long from = at("2026-01-01T00:00:00Z") + (long) (random.nextDouble() * Duration.ofDays(360).toMillis());
                long amount = (long) (random.nextDouble() * hours(120));
                long due = calendar.plus(from, amount);
                assertEquals(amount, calendar.between(from, due), zone + " from " + Instant.ofEpochMilli(from) + " + " + amount);
                assertTrue(due >= from);
            }
        }
    }

    @Test
    @DisplayName("should agree minute by minute with the local wall clock, across DST changes at midnight and offsets of +14 and -11 hours (property)")
    void shouldAgreeWithTheLocalWallClockMinuteByMinute() {
        Random random = new Random(7);
        for (String zone : List.of("Pacific/Kiritimati", "Pacific/Niue", "America/Santiago", "America/Havana", "Europe/Berlin")) {
            ZoneId id = ZoneId.of(zone);
            Set<LocalDate> holidays = Set.of(LocalDate.of(2026, 12, 25), LocalDate.of(2027, 1, 1));
            Map<DayOfWeek, List<BusinessCalendar.Hours>> weekly = new EnumMap<>(DayOfWeek.class);
            for (DayOfWeek d : DayOfWeek.values()) {
                // Saturday evenings run to midnight: where the clocks change at midnight, that end moves with them.
                weekly.put(d, d == DayOfWeek.SATURDAY
                        ? List.of(new BusinessCalendar.Hours(LocalTime.of(20, 0), LocalTime.MAX))
                        : d == DayOfWeek.SUNDAY ? List.of() : List.of(new BusinessCalendar.Hours(LocalTime.of(8, 0), LocalTime.of(18, 0))));
            }
            BusinessCalendar calendar = new BusinessCalendar(zone, id, weekly, holidays);
            List<Long> starts = new java.util.ArrayList<>();
            id.getRules().getTransitions().stream().map(t -> t.getInstant().toEpochMilli())
                    .filter(t -> t > at("2026-01-01T00:00:00Z") && t < at("2028-01-01T00:00:00Z"))
                    .forEach(t -> starts.add(t - Duration.ofDays(2).toMillis() + (long) (random.nextDouble() * Duration.ofDays(3).toMillis())));
            for (int i = 0; i < 60; i++) {
                starts.add(at("2026-01-01T00:00:00Z") + (long) (random.nextDouble() * Duration.ofDays(720).toMillis()));
            }
            for (long start : starts) {
                long from = start / 60_000 * 60_000;
                long to = from + (long) (random.nextDouble() * Duration.ofDays(3).toMinutes()) * 60_000;
                long expected = 0;
                for (long minute = from; minute < to; minute += 60_000) {
                    boolean working = onTheClock(id, weekly, holidays, minute);
                    assertEquals(working, calendar.isWorkingTime(minute), zone + " at " + Instant.ofEpochMilli(minute));
                    expected += working ? 60_000 : 0;
                }
                assertEquals(expected, calendar.between(from, to), zone + " from " + Instant.ofEpochMilli(from) + " to " + Instant.ofEpochMilli(to));
            }
        }
    }

    /** The reference: the local date and time of the instant, read against the weekly hours and the holidays. */
    private static boolean onTheClock(ZoneId zone, Map<DayOfWeek, List<BusinessCalendar.Hours>> weekly, Set<LocalDate> holidays, long at) {
        java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(Instant.ofEpochMilli(at), zone);
        if (holidays.contains(local.toLocalDate())) {
            return false;
        }
        for (BusinessCalendar.Hours hours : weekly.getOrDefault(local.getDayOfWeek(), List.of())) {
            if (!local.toLocalTime().isBefore(hours.start()) && (hours.toMidnight() || local.toLocalTime().isBefore(hours.end()))) {
                return true;
            }
        }
        return false;
    }
}
