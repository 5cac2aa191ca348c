package io.bellwether.detect.ticket;

import io.bellwether.detect.Outlet;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.RiskSignal;

/**
 * Where the ticket stage sends each kind of output.
 *
 * @param signals      ticket signal transitions (risk-signals)
 * @param security     SECURITY_INDICATOR transitions, for the security team only (security-signals)
 * @param alerts       the consolidated ticket alert's transitions (ticket-alerts)
 * @param gaps         ownership gaps of ticket signals (ownership-gaps)
 * @param feed         to the aggregate feed's routing: facts, clock ticks, and a note of every signal transition on an
 *                     account's ticket (keyed by the account's feed key)
 */
public record TicketOutputs(Outlet<RiskSignal> signals, Outlet<RiskSignal> security, Outlet<RiskSignal> alerts, Outlet<OwnershipGap> gaps,
                            Outlet<FeedItem> feed) {
}
