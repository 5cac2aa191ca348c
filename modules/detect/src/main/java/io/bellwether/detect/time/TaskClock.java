package io.bellwether.detect.time;

import io.bellwether.detect.DetectConfig;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * "Now" for one ticket task. Event time is the task's stream time (the newest event or clock tick it has processed),
 * which Kafka Streams restores after a restart. Live, the wall clock also pushes time forward, so a deadline passes on
 * a quiet partition too, but only while the task is current: the last event it processed was at most
 * {@code catchUpLag} old, or nothing has arrived for {@code quietAfter}. A task working through a backlog (after an
 * outage, at first start, or a history replayed into a live service) therefore moves on event time alone and decides
 * exactly what it would have decided had it kept up, instead of firing every deadline up to today before it reads the
 * events that would have met them.
 */
public final class TaskClock {
    private final ProcessingContext context;
    private final boolean wallClock;
    private final long catchUpLag;
    private final long quietAfter;
    /** The wall-clock moment time has been driven to; it never goes back. */
    private long wallBound = Long.MIN_VALUE;
    private boolean current;
    private long lastEventWall;

    public TaskClock(ProcessingContext context, DetectConfig config) {
        this.context = context;
        this.wallClock = config.timeDriver() == DetectConfig.TimeDriver.WALL_CLOCK;
        this.catchUpLag = config.catchUpLag().toMillis();
        this.quietAfter = config.quietAfter().toMillis();
        this.lastEventWall = context.currentSystemTimeMs();
    }

    /** An event of event time {@code at} is being processed: it tells whether the task is current or catching up. */
    public void observe(long at) {
        long wall = context.currentSystemTimeMs();
        lastEventWall = wall;
        current = wall - at <= catchUpLag;
    }

    /** The moment up to which due deadlines may fire now. */
    public long now() {
        long streamTime = context.currentStreamTimeMs();
        if (!wallClock) {
            return streamTime;
        }
        long wall = context.currentSystemTimeMs();
        if (current || wall - lastEventWall >= quietAfter) {
            wallBound = Math.max(wallBound, wall);
        }
        return Math.max(streamTime, wallBound);
    }

    /** Whether the wall clock can move time (a live service). */
    public boolean isWallClockDriven() {
        return wallClock;
    }

    public long wallClockMillis() {
        return context.currentSystemTimeMs();
    }
}
