package io.bellwether.query;

import io.bellwether.events.RecurringIssues;
import io.bellwether.events.RecurringItem;

import java.time.Instant;
import java.util.List;

/** The cluster's recurring-issue counts of one scope as the RecurringIssues record the weekly report publishes. */
final class RecurringIssuesRecords {
    private RecurringIssuesRecords() {
    }

    static RecurringIssues of(String scope, Views.Recurring counts, int top) {
        List<RecurringItem> items = counts.ranked(LocalViews.RECURRING_DIMENSIONS, top).stream()
                .map(i -> new RecurringItem(i.dimension(), i.value(), i.tickets(), i.previous(), i.accounts(), i.trend())).toList();
        return new RecurringIssues(scope, Instant.ofEpochMilli(counts.from()), Instant.ofEpochMilli(counts.to()), counts.tickets(),
                counts.previousTickets(), counts.complete(), items);
    }
}
