package io.bellwether.events;

/**
 * The trend of a recurring issue ({@link RecurringItem#getTrend()}): RISING when the later period has at least half as
 * many tickets again as the earlier one and 3 more, FALLING the other way round, STEADY otherwise. The backtest's
 * report, the query API and the weekly record all judge it here.
 */
public final class RecurringTrend {
    private RecurringTrend() {
    }

    public static String of(long before, long now) {
        if (now >= 1.5 * before && now - before >= 3) {
            return "RISING";
        }
        if (before >= 1.5 * now && before - now >= 3) {
            return "FALLING";
        }
        return "STEADY";
    }
}
