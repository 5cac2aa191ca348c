package io.bellwether.replay;

import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketKeys;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Produces a history's events to the ticket-events topic with their original event times (optionally shifted),
 * as fast as the broker takes them or paced at a speed-up factor. Between events it writes clock ticks (a null
 * value with the tick time, to every partition) so time-based signals fire on schedule even where a partition has
 * no events, and a last tick at the end so every deadline the history reached is decided. Unpaced, a gap in the
 * history gets one tick, not one per interval: deadlines inside the gap fire in order when time jumps anyway.
 */
public final class Replayer {
    /** Header on a clock tick: how many partitions receive ticks, so stages can align on all of them. */
    public static final String TICK_PARTITIONS_HEADER = io.bellwether.detect.ticket.TicketProcessor.TICK_PARTITIONS_HEADER;

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

    private final Producer<String, byte[]> producer;
    private final AvroSerde<TicketEvent> serde;
    private final String topic;
    private final int partitions;

    /**
     * @param producer   an idempotent producer with acks=all (values already serialised)
     * @param partitions the topic's partition count, for clock ticks
     */
    public Replayer(Producer<String, byte[]> producer, AvroSerde<TicketEvent> serde, String topic, int partitions) {
        this.producer = producer;
        this.serde = serde;
        this.topic = topic;
        this.partitions = partitions;
    }

    public Result replay(List<TicketEvent> events, Options options, LongConsumer progress) {
        long started = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong produced = new AtomicLong();
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
        watermarks += watermark(first - 1, failure);
        for (int i = 0; i < events.size(); i++) {
            TicketEvent event = shifted(events.get(i), shift);
            long at = event.getOccurredAt().toEpochMilli();
            if (options.speed() <= 0 && at > nextTick) {
                long latest = (at - 1) / tick * tick;
                watermarks += watermark(latest, failure);
                nextTick = latest + tick;
            }
            while (at > nextTick) {
                pace(options, started, first, nextTick);
                watermarks += watermark(nextTick, failure);
                nextTick += tick;
            }
            pace(options, started, first, at);
            checkFailure(failure);
            String key = TicketKeys.ticketKey(event);
            producer.send(new ProducerRecord<>(topic, null, at, key, serde.serialize(topic, event)), (meta, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    produced.incrementAndGet();
                }
            });
            last = Math.max(last, at);
            if ((i & 1023) == 0) {
                progress.accept(i);
            }
        }
        long end = options.finalWatermark() != null ? options.finalWatermark().toEpochMilli() + shift : last;
        while (options.speed() > 0 && nextTick < end) {
            watermarks += watermark(nextTick, failure);
            nextTick += tick;
        }
        watermarks += watermark(end, failure);
        producer.flush();
        checkFailure(failure);
        progress.accept(events.size());
        return new Result(produced.get(), watermarks, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private long watermark(long at, AtomicReference<Exception> failure) {
        for (int p = 0; p < partitions; p++) {
            ProducerRecord<String, byte[]> tick = new ProducerRecord<>(topic, p, (Long) at, "", (byte[]) null);
            tick.headers().add(TICK_PARTITIONS_HEADER, String.valueOf(partitions).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            tick.headers().add(io.bellwether.detect.TicketEventTimestamps.TICK_AT_HEADER,
                    String.valueOf(at).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(tick, (meta, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }
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

    private static void checkFailure(AtomicReference<Exception> failure) {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("Kafka refused a replayed record: " + e.getMessage(), e);
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
