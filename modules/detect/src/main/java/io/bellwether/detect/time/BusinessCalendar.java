package io.bellwether.detect.time;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Business time for one calendar: working hours per weekday in an IANA time zone, minus holidays. SLA clocks,
 * aging and unassigned thresholds are measured in it, so a ticket logged on Friday evening is not "4 hours
 * late" on Saturday morning.
 *
 * <p>Working hours are local wall-clock times; each day's hours are turned into instants with that day's
 * offset, so the 23- and 25-hour days of DST changes count exactly the hours that were worked.
 */
public final class BusinessCalendar {
    private static final int MAX_DAYS_SCANNED = 3 * 366;
    private static final long[] NONE = new long[0];
    private static final long DAY_MILLIS = 86_400_000L;
    /** Days kept per calendar, by epoch day modulo this: about eleven years (a day pushed out is computed again). */
    private static final int CACHED_DAYS = 4096;

    private final String id;
    private final ZoneId zone;
    private final Map<DayOfWeek, List<Hours>> weekly;
    private final Set<LocalDate> holidays;
    private final boolean alwaysOpen;
    /**
     * Local days already turned into instants, each in the slot of its epoch day modulo {@link #CACHED_DAYS}. Every
     * rule asks the calendar at every evaluation: a lookup allocates nothing. Shared by the stream threads without a
     * lock: a {@link Day} is immutable, so a thread sees either a whole one or none, and a slot lost to a race is
     * computed again.
     */
    private final Day[] days = new Day[CACHED_DAYS];

    /** One span of working time within a day; {@code end} may be {@link LocalTime#MAX} for midnight. */
    public record Hours(LocalTime start, LocalTime end) {
        public Hours {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("working hours end " + end + " must be after their start " + start);
            }
        }

        public boolean toMidnight() {
            return end.equals(LocalTime.MAX);
        }
    }

    public BusinessCalendar(String id, ZoneId zone, Map<DayOfWeek, List<Hours>> weekly, Set<LocalDate> holidays) {
        this.id = id;
        this.zone = zone;
        EnumMap<DayOfWeek, List<Hours>> copy = new EnumMap<>(DayOfWeek.class);
        weekly.forEach((day, hours) -> copy.put(day, List.copyOf(hours)));
        this.weekly = Collections.unmodifiableMap(copy);
        this.holidays = Set.copyOf(holidays);
        this.alwaysOpen = holidays.isEmpty() && isAllDayEveryDay(copy);
        if (!alwaysOpen && copy.values().stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("calendar '" + id + "' has no working hours at all");
        }
    }

    /** Round the clock, every day, no holidays: business time equals elapsed time. */
    public static BusinessCalendar twentyFourSeven(String id, ZoneId zone) {
        Map<DayOfWeek, List<Hours>> all = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            all.put(day, List.of(new Hours(LocalTime.MIDNIGHT, LocalTime.MAX)));
        }
        return new BusinessCalendar(id, zone, all, Set.of());
    }

    private static boolean isAllDayEveryDay(Map<DayOfWeek, List<Hours>> weekly) {
        for (DayOfWeek day : DayOfWeek.values()) {
            List<Hours> hours = weekly.getOrDefault(day, List.of());
            if (hours.size() != 1 || !hours.get(0).start().equals(LocalTime.MIDNIGHT) || !hours.get(0).toMidnight()) {
                return false;
            }
        }
        return true;
    }

    public String id() {
        return id;
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean isAlwaysOpen() {
        return alwaysOpen;
    }

    /** One local day: where it begins and ends as instants, and its working spans [start0, end0, start1, end1, ...]. */
    private record Day(long epochDay, long startMillis, long endMillis, long[] spans) {
        boolean contains(long epochMilli) {
            return epochMilli >= startMillis && epochMilli < endMillis;
        }
    }

    /** Business milliseconds in [from, to); 0 when to is not after from. */
    public long between(long from, long to) {
        if (to <= from) {
            return 0;
        }
        if (alwaysOpen) {
            return to - from;
        }
        long total = 0;
        long day = dayOf(from).epochDay();
        long last = dayOf(to).epochDay();
        for (int i = 0; day <= last && i <= MAX_DAYS_SCANNED * 10; i++, day++) {
            long[] spans = day(day).spans();
            for (int s = 0; s < spans.length; s += 2) {
                long start = Math.max(spans[s], from);
                long end = Math.min(spans[s + 1], to);
                if (end > start) {
                    total += end - start;
                }
            }
        }
        return total;
    }

    /** The moment at which {@code amount} business milliseconds have passed since {@code from}. */
    public long plus(long from, long amount) {
        if (amount <= 0) {
            return from;
        }
        if (alwaysOpen) {
            return from + amount;
        }
        long remaining = amount;
        long day = dayOf(from).epochDay();
        for (int i = 0; i < MAX_DAYS_SCANNED * 10; i++, day++) {
            long[] spans = day(day).spans();
            for (int s = 0; s < spans.length; s += 2) {
                if (spans[s + 1] <= from) {
                    continue;
                }
                long start = Math.max(spans[s], from);
                long available = spans[s + 1] - start;
                if (remaining <= available) {
                    return start + remaining;
                }
                remaining -= available;
            }
        }
        throw new IllegalStateException("calendar '" + id + "' has no working time within " + MAX_DAYS_SCANNED * 10 + " days of " + Instant.ofEpochMilli(from));
    }

    /**
     * The end of the {@code days}-th working day after the day of {@code from} (that day itself not counted):
     * a ticket still open then has been carried over that many business days.
     */
    public long endOfWorkingDaysAfter(long from, int days) {
        long day = dayOf(from).epochDay();
        int counted = 0;
        for (int i = 0; i < MAX_DAYS_SCANNED; i++) {
            day++;
            long[] spans = day(day).spans();
            if (spans.length > 0 && ++counted >= days) {
                return spans[spans.length - 1];
            }
        }
        throw new IllegalStateException("calendar '" + id + "' has fewer than " + days + " working days in " + MAX_DAYS_SCANNED + " days");
    }

    /** Whether {@code at} falls inside working hours. */
    public boolean isWorkingTime(long at) {
        long[] spans = dayOf(at).spans();
        for (int s = 0; s < spans.length; s += 2) {
            if (at >= spans[s] && at < spans[s + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The local day {@code epochMilli} falls on. A zone's offset is within 18 hours of UTC, so it is the UTC day's local
     * day or one beside it: the one whose local midnights enclose the instant (the days partition the timeline).
     */
    private Day dayOf(long epochMilli) {
        long utcDay = Math.floorDiv(epochMilli, DAY_MILLIS);
        Day day = day(utcDay);
        if (day.contains(epochMilli)) {
            return day;
        }
        day = day(epochMilli < day.startMillis() ? utcDay - 1 : utcDay + 1);
        if (day.contains(epochMilli)) {
            return day;
        }
        // Unreachable for offsets within 18 hours; kept exact for any zone rules.
        return day(Instant.ofEpochMilli(epochMilli).atZone(zone).toLocalDate().toEpochDay());
    }

    private Day day(long epochDay) {
        int slot = (int) Math.floorMod(epochDay, (long) CACHED_DAYS);
        Day cached = days[slot];
        if (cached != null && cached.epochDay() == epochDay) {
            return cached;
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        Day computed = new Day(epochDay, date.atStartOfDay(zone).toInstant().toEpochMilli(),
                date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli(), computeSpans(date));
        days[slot] = computed;
        return computed;
    }

    private long[] computeSpans(LocalDate day) {
        if (holidays.contains(day)) {
            return NONE;
        }
        List<Hours> hours = weekly.getOrDefault(day.getDayOfWeek(), List.of());
        if (hours.isEmpty()) {
            return NONE;
        }
        List<Long> spans = new ArrayList<>(hours.size() * 2);
        for (Hours h : hours) {
            long start = ZonedDateTime.of(day, h.start(), zone).toInstant().toEpochMilli();
            long end = h.toMidnight()
                    ? day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli()
                    : ZonedDateTime.of(day, h.end(), zone).toInstant().toEpochMilli();
            if (end > start) {
                spans.add(start);
                spans.add(end);
            }
        }
        long[] result = new long[spans.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = spans.get(i);
        }
        return result;
    }

    @Override
    public String toString() {
        return "BusinessCalendar[" + id + ", " + zone + (alwaysOpen ? ", 24x7" : "") + "]";
    }
}
