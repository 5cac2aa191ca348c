package io.bellwether.detect.account;

import io.bellwether.detect.state.DayCount;

import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.events.Severity;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** The share a near-miss rate must reach: the rule's minimum, or factor x the norm when that is higher. */
    public double nearMissBar(RuleSet.NearMissRate rule) {
        return Math.max(rule.minRate(), rule.factor() * baseNearMissRate());
    }

    /** Whether these figures clear the near-miss rule's bar and floors (whether it is on is the caller's to say). */
    public boolean nearMissHolds(RuleSet.NearMissRate rule) {
        return resolved >= rule.minResolved() && nearMisses >= rule.minNearMisses() && nearMissRate() >= nearMissBar(rule);
    }

    /** ERROR at twice the bar. */
    public Severity nearMissSeverity(RuleSet.NearMissRate rule) {
        return nearMissRate() >= 2 * nearMissBar(rule) ? Severity.ERROR : Severity.WARNING;
    }

    /** The evidence of a near-miss verdict, account's or team's, in one order. */
    public Map<String, String> nearMissFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("nearMisses", String.valueOf(nearMisses));
        facts.put("breaches", String.valueOf(breaches));
        facts.put("resolutions", String.valueOf(resolved));
        facts.put("rate", String.valueOf(round(nearMissRate())));
        facts.put("norm", String.valueOf(round(baseNearMissRate())));
        facts.put("breachRate", String.valueOf(round(breachRate())));
        return facts;
    }

    /** "near-miss rate 60% (3 of 5 resolutions in 14d used over 90% of their SLA) against a norm of 0%; breach rate 20%". */
    public String nearMissStory(RuleSet.NearMissRate rule) {
        return "near-miss rate " + percent(nearMissRate()) + " (" + nearMisses + " of " + resolved + " resolutions in "
                + DurationText.format(rule.window()) + " used over " + percent(rule.nearMissAt()) + " of their SLA) against a norm of "
                + percent(baseNearMissRate()) + "; breach rate " + percent(breachRate());
    }

    /** Why a near-miss signal is not (or no longer) raised. */
    public String nearMissQuiet() {
        return "Near-miss rate " + percent(nearMissRate()) + " (norm " + percent(baseNearMissRate()) + ")";
    }

    /** The near-miss rule's settings, as a verdict's thresholds. */
    public static Map<String, String> nearMissThresholds(RuleSet.NearMissRate rule) {
        Map<String, String> thresholds = new LinkedHashMap<>();
        thresholds.put("nearMissAt", String.valueOf(rule.nearMissAt()));
        thresholds.put("window", DurationText.format(rule.window()));
        thresholds.put("factor", String.valueOf(rule.factor()));
        thresholds.put("minRate", String.valueOf(rule.minRate()));
        thresholds.put("minResolved", String.valueOf(rule.minResolved()));
        thresholds.put("minNearMisses", String.valueOf(rule.minNearMisses()));
        return thresholds;
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    public double baseNearMissRate() {
        return baseResolved == 0 ? 0 : (double) baseNearMisses / baseResolved;
    }
}
