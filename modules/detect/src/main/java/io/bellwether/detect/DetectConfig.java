package io.bellwether.detect;

import io.bellwether.events.TopicNames;

import java.time.Duration;

/**
 * How the detection topology runs, apart from the rules.
 *
 * @param topics            topic names, from configuration
 * @param timeDriver        what moves time forward for time-based signals
 * @param tick              live: how often the wall clock is checked for due signals, and how often each ticket task
 *                          tells the aggregate stages how far its clock has come
 * @param aggregateGrace    live: how far behind its own clock a ticket task's ticks to the aggregate stages run, so an
 *                          event delivered a little late by its PSA is still counted at its own moment
 * @param maxFutureSkew     live only: an event claiming to be further in the future than this is clamped to
 *                          now + skew, so one wrong clock cannot fire every deadline at once
 * @param resolvedRetention how long a resolved ticket is remembered (a reopen continues its history)
 * @param closedRetention   how long a closed or cancelled ticket is remembered (late duplicates are recognised)
 * @param catchUpLag        live: a task whose last event was older than this is catching up, and only event time
 *                          moves its clock
 * @param quietAfter        live: with no event for this long, the wall clock moves a task's clock again
 * @param ticketPartitions  live: how many partitions ticket-events has, so the aggregate stages know whose clocks to
 *                          wait for (0: unknown, they decide on their own task's clock)
 */
public record DetectConfig(TopicNames topics, TimeDriver timeDriver, Duration tick, Duration aggregateGrace,
                           Duration maxFutureSkew, Duration resolvedRetention, Duration closedRetention,
                           Duration catchUpLag, Duration quietAfter, int ticketPartitions) {

    /** Live processing: the wall clock fires due signals even when no event arrives. */
    public static DetectConfig live(TopicNames topics) {
        return new DetectConfig(topics, TimeDriver.WALL_CLOCK, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofDays(30), Duration.ofDays(7), Duration.ofMinutes(5), Duration.ofSeconds(5), 0);
    }

    /** Replays and backtests: only event time (records and watermarks) moves the clock, so results are deterministic. */
    public static DetectConfig replay(TopicNames topics) {
        return new DetectConfig(topics, TimeDriver.EVENT_TIME, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO,
                Duration.ofDays(30), Duration.ofDays(7), Duration.ofMinutes(5), Duration.ofSeconds(5), 0);
    }

    public DetectConfig withTimeDriver(TimeDriver driver) {
        return new DetectConfig(topics, driver, tick, aggregateGrace, maxFutureSkew, resolvedRetention, closedRetention, catchUpLag,
                quietAfter, ticketPartitions);
    }

    public DetectConfig withAggregateGrace(Duration grace) {
        return new DetectConfig(topics, timeDriver, tick, grace, maxFutureSkew, resolvedRetention, closedRetention, catchUpLag,
                quietAfter, ticketPartitions);
    }

    public DetectConfig withMaxFutureSkew(Duration skew) {
        return new DetectConfig(topics, timeDriver, tick, aggregateGrace, skew, resolvedRetention, closedRetention, catchUpLag,
                quietAfter, ticketPartitions);
    }

    public DetectConfig withCatchUp(Duration lag, Duration quiet) {
        return new DetectConfig(topics, timeDriver, tick, aggregateGrace, maxFutureSkew, resolvedRetention, closedRetention, lag, quiet,
                ticketPartitions);
    }

    public DetectConfig withTicketPartitions(int partitions) {
        return new DetectConfig(topics, timeDriver, tick, aggregateGrace, maxFutureSkew, resolvedRetention, closedRetention, catchUpLag,
                quietAfter, partitions);
    }

    /** What advances time for time-based signals. */
    public enum TimeDriver {
        /** The newest event time seen, or the wall clock when it is later and the task is current (live service). */
        WALL_CLOCK,
        /** The newest event time seen only, including watermarks (replay, backtest). */
        EVENT_TIME
    }
}
