package io.bellwether.query;


import java.util.function.LongSupplier;

/**
 * "Now" for a topology driven by event time (a replay, the demo): the newest event time this instance has seen, in
 * the tickets it holds or the signals on the timeline. Wall-clock time would put every SLA clock of a replayed week
 * days past its breach. Recomputed at most once a second; the instance that takes a request passes its moment to
 * the others, so one answer has one moment.
 */
final class LatestEventTime implements LongSupplier {
    private final LocalViews views;
    private final SignalTimeline timeline;
    private long value = -1;
    private long computedAt;

    LatestEventTime(LocalViews views, SignalTimeline timeline) {
        this.views = views;
        this.timeline = timeline;
    }

    @Override
    public synchronized long getAsLong() {
        long wall = System.currentTimeMillis();
        if (value < 0 || wall - computedAt > 1000) {
            computedAt = wall;
            try {
                value = Math.max(value, Math.max(views.latestEventTime(), timeline.latestOccurredAt()));
            } catch (RuntimeException e) {
                // Stores not queryable right now: keep the last known moment.
            }
        }
        return value >= 0 ? value : wall;
    }
}
