package io.bellwether.detect.time;

import io.bellwether.detect.DetectConfig;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * "Now" for one stream task. Event time is the task's stream time (the newest record or watermark it has
 * processed), which Kafka Streams restores after a restart; live, the wall clock also pushes it forward, so a
 * deadline passes on a quiet partition too.
 */
public final class TaskClock {
    private final ProcessingContext context;
    private final boolean wallClock;
    private final long graceMillis;

    public TaskClock(ProcessingContext context, DetectConfig.TimeDriver driver, long graceMillis) {
        this.context = context;
        this.wallClock = driver == DetectConfig.TimeDriver.WALL_CLOCK;
        this.graceMillis = graceMillis;
    }

    /** The moment up to which due deadlines may fire now. */
    public long now() {
        long streamTime = context.currentStreamTimeMs();
        long now = wallClock ? Math.max(streamTime, context.currentSystemTimeMs()) : streamTime;
        return now - graceMillis;
    }

    public boolean isWallClockDriven() {
        return wallClock;
    }

    public long wallClockMillis() {
        return context.currentSystemTimeMs();
    }
}
