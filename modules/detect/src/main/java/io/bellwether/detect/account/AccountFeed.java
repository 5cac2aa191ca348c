package io.bellwether.detect.account;

import io.bellwether.detect.state.TicketFact;

/** Which ticket facts the account stage hears about. */
public final class AccountFeed {
    private AccountFeed() {
    }

    /**
     * Whether a fact changes anything the account rules read: a ticket opened, resolved, reopened, handed over or
     * escalated. Other updates (comments, status changes within open work) leave every account rule where it was,
     * so they are not sent; time-driven changes are the stage's own scheduled moments.
     */
    public static boolean concerns(TicketFact fact) {
        return fact.getAccountId() != null && (fact.getFirstSighting() || fact.getOpened() || fact.getResolved()
                || fact.getReopened() || fact.getAssigneeChanged() || fact.getEscalation() != null);
    }
}
