package io.bellwether.replay;

import io.bellwether.events.TicketEvent;

/**
 * Where a replay goes: the ticket-events topic of a running service ({@link KafkaReplaySink}) or the detection
 * topology run in-process on event time (the service's {@code InProcessTopology}). Both receive the same events and the same clock
 * ticks in the same order from {@link Replayer}, which is what makes a backtest and a live replay agree.
 */
public interface ReplaySink {
    /** One event, at its (possibly shifted) event time. */
    void event(String ticketKey, TicketEvent event, long at);

    /** A clock tick: event time has reached {@code at} on every partition. */
    void tick(long at);

    /** Everything sent so far is delivered (or has failed loudly). */
    void flush();
}
