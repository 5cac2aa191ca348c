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
 *
 * <p>"Nothing has arrived" needs care just after a start, when a task with a backlog has simply not been given its first
 * records yet: a task that has seen no event counts as quiet only once its stream thread has worked on other tasks'
 * events for {@code quietAfter} meanwhile (so this one has none), or after {@value #STARTUP_QUIET_FACTOR} times
 * {@code quietAfter} with no event on the thread at all (an idle service).
 */
public final class TaskClock {
    private final ProcessingContext context;
    private final boolean wallClock;
    private final long catchUpLag;
    private final long quietAfter;
    /** The wall-clock moment time has been driven to; it never goes back. */
    private long wallBound = Long.MIN_VALUE;
    private boolean current;
    private boolean seenEvent;
    private final long startedWall;
    private long lastEventWall;
    /** A task with no event yet is quiet after this factor times quietAfter when its thread has seen none either. */
    static final int STARTUP_QUIET_FACTOR = 6;
    /** When each stream thread last processed an event of any of its ticket tasks. */
    private static final ThreadLocal<long[]> THREAD_LAST_EVENT = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});

    public TaskClock(ProcessingContext context, DetectConfig config) {
        this.context = context;
        this.wallClock = config.timeDriver() == DetectConfig.TimeDriver.WALL_CLOCK;
        this.catchUpLag = config.catchUpLag().toMillis();
        this.quietAfter = config.quietAfter().toMillis();
        this.startedWall = context.currentSystemTimeMs();
        this.lastEventWall = startedWall;
    }

    /** An event of event time {@code at} is being processed: it tells whether the task is current or catching up. */
    public void observe(long at) {
        long wall = context.currentSystemTimeMs();
        lastEventWall = wall;
        seenEvent = true;
        THREAD_LAST_EVENT.get()[0] = wall;
        current = wall - at <= catchUpLag;
    }

    /** The moment up to which due deadlines may fire now. */
    public long now() {
        long streamTime = context.currentStreamTimeMs();
        if (!wallClock) {
            return streamTime;
        }
        long wall = context.currentSystemTimeMs();
        if (current || quiet(wall)) {
            wallBound = Math.max(wallBound, wall);
        }
        return Math.max(streamTime, wallBound);
    }

    private boolean quiet(long wall) {
        if (wall - lastEventWall < quietAfter) {
            return false;
        }
        if (seenEvent) {
            return true;
        }
        long threadLastEvent = THREAD_LAST_EVENT.get()[0];
        boolean othersWorked = threadLastEvent >= startedWall + quietAfter;
        return othersWorked || wall - startedWall >= STARTUP_QUIET_FACTOR * quietAfter;
    }

    /** Whether the wall clock can move time (a live service). */
    public boolean isWallClockDriven() {
        return wallClock;
    }

    public long wallClockMillis() {
        return context.currentSystemTimeMs();
    }
}
