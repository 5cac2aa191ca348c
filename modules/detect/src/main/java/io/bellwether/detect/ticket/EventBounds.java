package io.bellwether.detect.ticket;

import io.bellwether.events.FieldChange;
import io.bellwether.events.TicketEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ticket stage keeps every routing field of an event in the ticket's state and repeats it in signals, so one
 * unbounded field would grow a state record past Kafka's record limit and stop the task. The webhook receiver refuses
 * such events; this bound holds for every other producer of ticket-events (replays of exports, other services): a
 * string field longer than {@link #MAX_CHARS} is cut to it (with a marker), at most {@link #MAX_CHANGES} changes and
 * {@link #MAX_ATTRIBUTES} attributes are kept. Such an event is counted ({@code bellwether.detect.events{outcome=truncated}}),
 * never dropped.
 */
final class EventBounds {
    static final int MAX_CHARS = 512;
    static final int MAX_CHANGES = 64;
    static final int MAX_ATTRIBUTES = 32;
    private static final String MARK = "…";

    private EventBounds() {
    }

    /** The event itself when within bounds (the usual case: no copy), else a bounded copy. */
    static TicketEvent bound(TicketEvent e) {
        if (within(e)) {
            return e;
        }
        TicketEvent.Builder b = TicketEvent.newBuilder(e)
                .setTicketId(cut(e.getTicketId())).setSourceEventId(cut(e.getSourceEventId())).setEventId(cut(e.getEventId()))
                .setAccountId(cut(e.getAccountId())).setAccountName(cut(e.getAccountName())).setStatus(cut(e.getStatus()))
                .setPriority(cut(e.getPriority())).setAssignee(cut(e.getAssignee())).setTeam(cut(e.getTeam()))
                .setCategory(cut(e.getCategory())).setConfigurationItem(cut(e.getConfigurationItem())).setVendor(cut(e.getVendor()))
                .setActor(cut(e.getActor()));
        List<FieldChange> changes = new ArrayList<>();
        for (FieldChange c : e.getChanges()) {
            if (changes.size() == MAX_CHANGES) {
                break;
            }
            changes.add(FieldChange.newBuilder().setField(cut(c.getField())).setFrom(cut(c.getFrom())).setTo(cut(c.getTo())).build());
        }
        Map<String, String> attributes = new TreeMap<>();
        for (Map.Entry<String, String> a : e.getAttributes().entrySet()) {
            if (attributes.size() == MAX_ATTRIBUTES) {
                break;
            }
            attributes.put(cut(a.getKey()), cut(a.getValue()));
        }
        return b.setChanges(changes).setAttributes(attributes).build();
    }

    private static boolean within(TicketEvent e) {
        if (e.getChanges().size() > MAX_CHANGES || e.getAttributes().size() > MAX_ATTRIBUTES) {
            return false;
        }
        for (String s : new String[] {e.getTicketId(), e.getSourceEventId(), e.getEventId(), e.getAccountId(), e.getAccountName(),
                e.getStatus(), e.getPriority(), e.getAssignee(), e.getTeam(), e.getCategory(), e.getConfigurationItem(), e.getVendor(),
                e.getActor()}) {
            if (s != null && s.length() > MAX_CHARS) {
                return false;
            }
        }
        for (FieldChange c : e.getChanges()) {
            if (long_(c.getField()) || long_(c.getFrom()) || long_(c.getTo())) {
                return false;
            }
        }
        for (Map.Entry<String, String> a : e.getAttributes().entrySet()) {
            if (long_(a.getKey()) || long_(a.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean long_(String s) {
        return s != null && s.length() > MAX_CHARS;
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS - MARK.length()) + MARK;
    }
}
