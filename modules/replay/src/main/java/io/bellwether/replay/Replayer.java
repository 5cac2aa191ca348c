package io.bellwether.replay;

import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketKeys;
import io.bellwether.serde.TicketStreamSerde;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Plays a history's events into a {@link ReplaySink} (the ticket-events topic, or the topology in-process) with their
 * original event times (optionally shifted), as fast as the sink takes them or paced at a speed-up factor. Between
 * events it sends clock ticks so time-based signals fire on schedule even where a partition has no events, and a
 * last tick at the end so every deadline the history reached is decided. Unpaced, a gap in the
 * history gets one tick, not one per interval: deadlines inside the gap fire in order when time jumps anyway.
 */
public final class Replayer {
    /**
     * @param speed          0 for as fast as possible; 3600 plays one hour of history per second
     * @param shift          added to every event time (the demo moves history to the present)
     * @param watermarkEvery event-time spacing of clock ticks
     * @param finalWatermark the last tick; null for the last event's time
     */
    public record Options(double speed, Duration shift, Duration watermarkEvery, Instant finalWatermark) {
        public static Options asFastAsPossible() {
            return new Options(0, Duration.ZERO, Duration.ofMinutes(15), null);
        }
    }

    /** What was produced. */
    public record Result(long events, long watermarks, Instant firstEventAt, Instant lastEventAt, Duration took) {
    }

    private final ReplaySink sink;

    public Replayer(ReplaySink sink) {
        this.sink = sink;
    }

    /**
     * Into the ticket-events topic of a running service.
     *
     * @param producer   an idempotent producer with acks=all (values already serialised)
     * @param partitions the topic's partition count, for clock ticks
     */
    public Replayer(Producer<String, byte[]> producer, TicketStreamSerde serde, String topic, int partitions) {
        this(new KafkaReplaySink(producer, serde, topic, partitions));
    }

    public Result replay(List<TicketEvent> events, Options options, LongConsumer progress) {
        long started = System.nanoTime();
        long shift = options.shift().toMillis();
        long tick = Math.max(1, options.watermarkEvery().toMillis());
        long watermarks = 0;
        if (events.isEmpty()) {
            return new Result(0, 0, null, null, Duration.ZERO);
        }
        long first = events.get(0).getOccurredAt().toEpochMilli() + shift;
        long nextTick = (first / tick + 1) * tick;
        long last = first;
        // A tick before the first event switches every stage to event-time alignment from the start.
        watermarks += watermark(first - 1);
        for (int i = 0; i < events.size(); i++) {
            TicketEvent event = shifted(events.get(i), shift);
            long at = event.getOccurredAt().toEpochMilli();
            if (options.speed() <= 0 && at > nextTick) {
                long latest = (at - 1) / tick * tick;
                watermarks += watermark(latest);
                nextTick = latest + tick;
            }
            while (at > nextTick) {
                pace(options, started, first, nextTick);
                watermarks += watermark(nextTick);
                nextTick += tick;
            }
            pace(options, started, first, at);
            sink.event(TicketKeys.ticketKey(event), event, at);
            last = Math.max(last, at);
            if ((i & 1023) == 0) {
                progress.accept(i);
            }
        }
        long end = options.finalWatermark() != null ? options.finalWatermark().toEpochMilli() + shift : last;
        while (options.speed() > 0 && nextTick < end) {
            watermarks += watermark(nextTick);
            nextTick += tick;
        }
        watermarks += watermark(end);
        sink.flush();
        progress.accept(events.size());
        return new Result(events.size(), watermarks, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private long watermark(long at) {
        sink.tick(at);
        return 1;
    }

    private static void pace(Options options, long startedNanos, long firstEventAt, long eventAt) {
        if (options.speed() <= 0) {
            return;
        }
        long dueNanos = startedNanos + (long) ((eventAt - firstEventAt) * 1_000_000L / options.speed());
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", e);
            }
        }
    }

    private static TicketEvent shifted(TicketEvent event, long shift) {
        if (shift == 0) {
            return event;
        }
        TicketEvent copy = TicketEvent.newBuilder(event).build();
        copy.setOccurredAt(event.getOccurredAt().plusMillis(shift));
        copy.setReceivedAt(event.getReceivedAt().plusMillis(shift));
        if (event.getCreatedAt() != null) {
            copy.setCreatedAt(event.getCreatedAt().plusMillis(shift));
        }
        return copy;
    }

    /**
     * The largest shift by whole weeks that keeps {@code last} at or before {@code now}: history moves to the most
     * recent past while weekdays and times of day (and so business hours) stay what they were.
     */
    public static Duration wholeWeeksBefore(Instant last, Instant now) {
        long week = Duration.ofDays(7).toMillis();
        long gap = now.toEpochMilli() - last.toEpochMilli();
        return Duration.ofMillis(gap <= 0 ? 0 : (gap / week) * week);
    }
}
