package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;

import java.util.List;

/** One per-ticket rule. It is a pure function of the ticket's state and a moment. */
public interface TicketRule {

    /** Adds this rule's verdicts (one per dedup key it manages) for the ticket at {@code at}. */
    void evaluate(TicketView ticket, long at, List<Verdict> out);

    /** The next moment after {@code at} at which a verdict could change with no new event, or Long.MAX_VALUE. */
    long nextChange(TicketView ticket, long at);
}
