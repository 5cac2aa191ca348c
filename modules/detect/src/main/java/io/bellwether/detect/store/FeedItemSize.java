package io.bellwether.detect.store;

import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.OwnerNote;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.detect.state.TicketFact;

/**
 * An upper bound of a feed item's encoded size, without encoding it: every string at four bytes a character (UTF-8's
 * most), plus room for the numbers and flags. Enough to keep a batch of held items under a size.
 */
final class FeedItemSize {
    private static final int FIXED = 128;

    private FeedItemSize() {
    }

    static long upperBound(FeedItem item) {
        long chars = 0;
        TicketFact fact = item.getFact();
        if (fact != null) {
            chars += len(fact.getTicketKey()) + len(fact.getAccountId()) + len(fact.getAccountName()) + len(fact.getEventId())
                    + len(fact.getEscalation()) + len(fact.getStatusCategory()) + len(fact.getPriorityLevel())
                    + len(fact.getPreviousPriorityLevel()) + len(fact.getCategory()) + len(fact.getConfigurationItem())
                    + len(fact.getVendor()) + len(fact.getTeam()) + len(fact.getPreviousTeam()) + len(fact.getAssignee())
                    + len(fact.getPreviousAssignee()) + len(fact.getFirstSignalKind()) + len(fact.getFirstSignalDedupKey());
            for (String indicator : fact.getSecurityIndicators()) {
                chars += len(indicator) + 8;
            }
        }
        SignalNote note = item.getSignal();
        if (note != null) {
            chars += len(note.getDedupKey()) + len(note.getRuleId()) + len(note.getKind()) + len(note.getSeverity()) + len(note.getState())
                    + len(note.getSubjectId()) + len(note.getTicketKey()) + len(note.getReason());
        }
        OwnerNote owner = item.getOwner();
        if (owner != null) {
            chars += len(owner.getAccountId()) + len(owner.getOwnerId());
        }
        return FIXED + 4 * chars;
    }

    private static int len(String s) {
        return s == null ? 0 : s.length() + 5;
    }
}
