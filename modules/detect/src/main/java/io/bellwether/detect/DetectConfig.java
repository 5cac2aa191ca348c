package io.bellwether.detect;

import io.bellwether.events.TopicNames;

import java.time.Duration;

/**
 * How the detection topology runs, apart from the rules.
 *
 * @param topics         topic names, from configuration
 * @param timeDriver     what moves time forward for time-based signals
 * @param tick           how often the wall clock is checked for due signals (live only)
 * @param aggregateGrace how long the account, team and surge stages wait past a due moment before deciding,
 *                       so facts from other partitions that are still in flight are counted
 * @param maxFutureSkew  live only: an event claiming to be further in the future than this is clamped to
 *                       now + skew, so one wrong clock cannot fire every deadline at once
 * @param resolvedRetention how long a resolved ticket is remembered (a reopen continues its history)
 * @param closedRetention   how long a closed or cancelled ticket is remembered (late duplicates are recognised)
 */
public record DetectConfig(TopicNames topics, TimeDriver timeDriver, Duration tick, Duration aggregateGrace,
                           Duration maxFutureSkew, Duration resolvedRetention, Duration closedRetention) {

    /** Live processing: the wall clock fires due signals even when no event arrives. */
    public static DetectConfig live(TopicNames topics) {
        return new DetectConfig(topics, TimeDriver.WALL_CLOCK, Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofDays(30), Duration.ofDays(7));
    }

    /** Replays and backtests: only event time (records and watermarks) moves the clock, so results are deterministic. */
    public static DetectConfig replay(TopicNames topics) {
        return new DetectConfig(topics, TimeDriver.EVENT_TIME, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ZERO,
                Duration.ofDays(30), Duration.ofDays(7));
    }

    public DetectConfig withTimeDriver(TimeDriver driver) {
        return new DetectConfig(topics, driver, tick, aggregateGrace, maxFutureSkew, resolvedRetention, closedRetention);
    }

    public DetectConfig withAggregateGrace(Duration grace) {
        return new DetectConfig(topics, timeDriver, tick, grace, maxFutureSkew, resolvedRetention, closedRetention);
    }

    /** What advances time for time-based signals. */
    public enum TimeDriver {
        /** The newest event time seen, or the wall clock when it is later (live service). */
        WALL_CLOCK,
        /** The newest event time seen only, including watermarks (replay, backtest). */
        EVENT_TIME
    }
}
