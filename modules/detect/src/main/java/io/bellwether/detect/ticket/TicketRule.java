package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Rule;

/** One per-ticket rule: a {@link Rule} over the ticket's view. */
public interface TicketRule extends Rule<TicketView> {
}
