package io.bellwether.replay;

import io.bellwether.events.TicketEvent;

import java.util.List;
import java.util.Map;

/**
 * An export turned into canonical events, in event-time order, with everything that could not be used and the
 * per-ticket outcomes a backtest scores against.
 */
public record History(List<TicketEvent> events, List<ExportReader.BadRow> badRows, Stats stats, Map<String, TicketOutcome> outcomes) {

    /** Counts of the load. */
    public record Stats(long rows, long mapped, long skipped, long bad, long tickets, long clampedTimes, long unknownStatuses) {
    }
}
