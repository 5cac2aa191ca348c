package io.bellwether.detect.account;

import io.bellwether.detect.state.DayCount;

import java.time.Duration;
import java.util.List;

/**
 * An account's (or a team's) resolutions over a window and over the baseline before it, with how many were reopened,
 * near-misses (within SLA but past its near-miss fraction) and breaches: the reopen-rate and near-miss rules read it, and
 * the query API shows the rates. A resolution that used at least all of its SLA is a breach, one that used at least the
 * near-miss fraction (and less than all) a near-miss; one without a resolution SLA is neither.
 * Days are UTC days, the current one included in the window.
 */
public record Rates(int resolved, int reopened, int nearMisses, int breaches, int baseResolved, int baseReopened, int baseNearMisses) {
    private static final long DAY = 86_400_000L;

    public static Rates of(List<DayCount> days, long at, Duration window, Duration baseline) {
        long today = Math.floorDiv(at, DAY);
        long windowDays = Math.max(1, window.toDays());
        long baselineDays = Math.max(1, baseline.toDays());
        int resolved = 0;
        int reopened = 0;
        int baseReopened = 0;
        int nearMisses = 0;
        int breaches = 0;
        int baseResolved = 0;
        int baseNearMisses = 0;
        for (DayCount day : days) {
            long age = today - day.getDay();
            if (age >= 0 && age < windowDays) {
                resolved += day.getResolved();
                reopened += day.getReopened();
                nearMisses += day.getNearMisses();
                breaches += day.getBreaches();
            } else if (age >= windowDays && age < windowDays + baselineDays) {
                baseResolved += day.getResolved();
                baseReopened += day.getReopened();
                baseNearMisses += day.getNearMisses();
            }
        }
        return new Rates(resolved, reopened, nearMisses, breaches, baseResolved, baseReopened, baseNearMisses);
    }

    /** Counts a resolution at {@code at} into its day of {@code days} (kept oldest first). */
    public static void countResolution(List<DayCount> days, long at, Double slaUsed, double nearMissAt) {
        DayCount day = day(days, at);
        day.setResolved(day.getResolved() + 1);
        if (slaUsed != null && slaUsed >= 1.0) {
            day.setBreaches(day.getBreaches() + 1);
        } else if (slaUsed != null && slaUsed >= nearMissAt) {
            day.setNearMisses(day.getNearMisses() + 1);
        }
    }

    /** The UTC day of {@code at} in {@code days}, added in its place if missing. */
    public static DayCount day(List<DayCount> days, long at) {
        long day = Math.floorDiv(at, DAY);
        for (int i = days.size() - 1; i >= 0; i--) {
            if (days.get(i).getDay() == day) {
                return days.get(i);
            }
            if (days.get(i).getDay() < day) {
                DayCount created = new DayCount(day, 0, 0, 0, 0);
                days.add(i + 1, created);
                return created;
            }
        }
        DayCount created = new DayCount(day, 0, 0, 0, 0);
        days.add(0, created);
        return created;
    }

    public double reopenRate() {
        return resolved == 0 ? 0 : (double) reopened / resolved;
    }

    public double baseReopenRate() {
        return baseResolved == 0 ? 0 : (double) baseReopened / baseResolved;
    }

    public double nearMissRate() {
        return resolved == 0 ? 0 : (double) nearMisses / resolved;
    }

    public double breachRate() {
        return resolved == 0 ? 0 : (double) breaches / resolved;
    }

    public double baseNearMissRate() {
        return baseResolved == 0 ? 0 : (double) baseNearMisses / baseResolved;
    }
}
