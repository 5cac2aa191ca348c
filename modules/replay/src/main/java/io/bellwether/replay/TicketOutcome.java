package io.bellwether.replay;

import java.time.Instant;

/**
 * What happened to one ticket in the export, as a backtest judges signals against it: whether it went bad
 * (SLA missed, reopened, escalated) and when it ended.
 *
 * @param slaMissedSeenAt the first row that recorded the SLA as missed (exports log it late), or null
 * @param escalatedAt     when its priority was raised to P1 or it reached an escalation status, or null
 * @param resolvedAt      when it first reached a done status (resolved, closed, cancelled), or null if it never did
 * @param pingPonged      whether it ping-ponged, by the export's truth column or derived from its team sequence; null when
 *                        the export does not say
 */
public record TicketOutcome(String ticketKey, String accountId, Instant openedAt, Instant endedAt, boolean slaMissed,
                            Instant slaMissedSeenAt, int reopens, Instant escalatedAt, Instant resolvedAt, Boolean pingPonged) {

    public TicketOutcome(String ticketKey, String accountId, Instant openedAt, Instant endedAt, boolean slaMissed, Instant slaMissedSeenAt,
                         int reopens, Instant escalatedAt, Instant resolvedAt) {
        this(ticketKey, accountId, openedAt, endedAt, slaMissed, slaMissedSeenAt, reopens, escalatedAt, resolvedAt, null);
    }

    /** Until when the ticket was "still open" for an alert to be of use: its first resolution, else its end. */
    public Instant openUntil() {
        return resolvedAt != null ? resolvedAt : endedAt;
    }

    /** Went bad in any of the ways the backtest counts. */
    public boolean wentBad() {
        return slaMissed || reopens > 0 || escalatedAt != null;
    }
}
