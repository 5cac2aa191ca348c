package io.bellwether.detect.ticket;

import io.bellwether.events.StatusCategory;

/** What the normalised status categories mean for detection. */
public final class Statuses {
    private Statuses() {
    }

    /** Resolved, closed or cancelled: no clock runs, no ticket signal holds. */
    public static boolean isDone(StatusCategory category) {
        return category == StatusCategory.RESOLVED || category == StatusCategory.CLOSED || category == StatusCategory.CANCELLED;
    }

    public static boolean isDone(String category) {
        return isDone(StatusCategory.valueOf(category));
    }

    /** Closed or cancelled: final, unlike resolved which the customer may still reopen. */
    public static boolean isFinal(String category) {
        return StatusCategory.CLOSED.name().equals(category) || StatusCategory.CANCELLED.name().equals(category);
    }

    /** Nobody has started on it yet. */
    public static boolean isUntouched(StatusCategory category) {
        return category == StatusCategory.NEW || category == StatusCategory.OPEN;
    }
}
