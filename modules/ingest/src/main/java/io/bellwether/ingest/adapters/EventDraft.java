package io.bellwether.ingest.adapters;

import io.bellwether.events.ActorType;
import io.bellwether.events.FieldChange;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;
import io.bellwether.ingest.Rejection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A ticket event being read from a vendor payload. Every event is a full snapshot of the ticket's routing fields
 * (status, priority, assignee, team), because the detection stage takes each event as the ticket's current state;
 * adapters must not leave a field null that the vendor simply did not repeat.
 */
public final class EventDraft {
    private static final int MAX_ATTRIBUTES = 32;
    /** Longest identifier (ticket, event, account id) accepted: ids are keys, kept in state and in every signal. */
    public static final int MAX_ID_CHARS = 256;
    /** Longest name or label (status, assignee, team, category, ...) accepted. */
    public static final int MAX_TEXT_CHARS = 512;
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    public String sourceEventId;
    public String ticketId;
    public String accountId;
    public String accountName;
    public TicketEventType type;
    public String status;
    public StatusCategory statusCategory = StatusCategory.UNKNOWN;
    public String priority;
    public Priority priorityLevel = Priority.UNKNOWN;
    public String assignee;
    public String team;
    public String category;
    public String configurationItem;
    public String vendor;
    public boolean escalated;
    public String actor;
    public ActorType actorType = ActorType.UNKNOWN;
    public Instant occurredAt;
    public Instant createdAt;
    public final List<FieldChange> changes = new ArrayList<>();
    public final Map<String, String> attributes = new LinkedHashMap<>();

    public EventDraft change(String field, String from, String to) {
        if (field != null && !Objects.equals(from, to) && changes.size() < 64) {
            changes.add(FieldChange.newBuilder().setField(field).setFrom(from).setTo(to).build());
        }
        return this;
    }

    public EventDraft attribute(String key, String value) {
        if (value != null && attributes.size() < MAX_ATTRIBUTES) {
            attributes.put(key, value.length() > 512 ? value.substring(0, 512) : value);
        }
        return this;
    }

    public boolean changed(String field) {
        return changes.stream().anyMatch(c -> c.getField().equalsIgnoreCase(field));
    }

    public String previous(String field) {
        return changes.stream().filter(c -> c.getField().equalsIgnoreCase(field)).map(FieldChange::getFrom).findFirst().orElse(null);
    }

    /**
     * The canonical event. The event id is derived from the source's own event identity, so a redelivery of the same
     * vendor event gets the same id and is counted once downstream.
     */
    public TicketEvent build(String sourceSystem, Instant receivedAt) throws Rejection {
        if (ticketId == null || ticketId.isBlank()) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The payload names no ticket id");
        }
        if (sourceEventId == null) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The payload has nothing that identifies this event (id or update time)");
        }
        checkRange("occurredAt", occurredAt);
        checkRange("createdAt", createdAt);
        checkId("ticketId", ticketId);
        checkId("sourceEventId", sourceEventId);
        checkId("accountId", accountId);
        checkText("accountName", accountName);
        checkText("status", status);
        checkText("priority", priority);
        checkText("assignee", assignee);
        checkText("team", team);
        checkText("category", category);
        checkText("configurationItem", configurationItem);
        checkText("vendor", vendor);
        checkText("actor", actor);
        for (FieldChange change : changes) {
            checkText("changes." + change.getField() + ".from", change.getFrom());
            checkText("changes." + change.getField() + ".to", change.getTo());
        }
        Instant at = occurredAt != null ? occurredAt : receivedAt;
        if (occurredAt == null) {
            attributes.put("occurredAtFrom", "receivedAt");
        }
        return TicketEvent.newBuilder()
                .setEventId(TicketKeys.eventId(sourceSystem, sourceEventId))
                .setSourceSystem(TicketKeys.normaliseSource(sourceSystem))
                .setSourceEventId(sourceEventId)
                .setTicketId(ticketId)
                .setAccountId(accountId)
                .setAccountName(accountName)
                .setEventType(type != null ? type : TicketEventType.UPDATED)
                .setStatus(status)
                .setStatusCategory(statusCategory)
                .setPriority(priority)
                .setPriorityLevel(priorityLevel)
                .setAssignee(assignee)
                .setTeam(team)
                .setCategory(category)
                .setConfigurationItem(configurationItem)
                .setVendor(vendor)
                .setEscalated(escalated)
                .setActor(actor)
                .setActorType(actorType)
                .setOccurredAt(at)
                .setReceivedAt(receivedAt)
                .setCreatedAt(createdAt)
                .setChanges(changes)
                .setAttributes(attributes)
                .build();
    }

    /**
     * Every field of the event is kept in the ticket's state and repeated in its signals: an unbounded one would grow
     * the state past Kafka's record limit and stop detection. Refused with the field and the limit named.
     */
    private static void checkText(String field, String value) throws Rejection {
        if (value != null && value.length() > MAX_TEXT_CHARS) {
            throw Rejection.invalid(Rejection.FIELD_TOO_LONG, String.format(java.util.Locale.ROOT,
                    "%s is %,d characters; the limit is %,d", field, value.length(), MAX_TEXT_CHARS));
        }
        if (value != null && hasControl(value, false)) {
            throw Rejection.of(400, Rejection.INVALID_FIELD, field + " contains a control character");
        }
    }

    /** An identifier: bounded, and no control character at all (a NUL in a key is never meant). */
    private static void checkId(String field, String value) throws Rejection {
        if (value != null && value.length() > MAX_ID_CHARS) {
            throw Rejection.invalid(Rejection.FIELD_TOO_LONG, String.format(java.util.Locale.ROOT,
                    "%s is %,d characters; the limit is %,d", field, value.length(), MAX_ID_CHARS));
        }
        if (value != null && hasControl(value, true)) {
            throw Rejection.of(400, Rejection.INVALID_FIELD, field + " contains a control character (U+"
                    + String.format("%04X", (int) value.chars().filter(c -> c < 0x20 || c == 0x7f).findFirst().orElse(0)) + ")");
        }
    }

    /** C0 controls and DEL; a name may hold a tab, an identifier nothing of the kind. */
    private static boolean hasControl(String value, boolean identifier) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && (identifier || c != '\t')) || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Before 1970 or after 2200 is a corrupt field, not a ticket's time (and may not fit Avro's timestamp-millis). */
    private static void checkRange(String field, Instant value) throws Rejection {
        if (value != null && (value.isBefore(Instant.EPOCH) || value.isAfter(LATEST))) {
            throw Rejection.invalid(Rejection.INVALID_FIELD, field + " " + value + " is outside 1970-2200");
        }
    }

    /**
     * The event type an update amounts to when the vendor does not say: a status move decides it (resolved, closed,
     * reopened), then an owner change, then a priority change; otherwise a plain update.
     */
    public TicketEventType classifyUpdate(StatusCategory before) {
        StatusCategory after = statusCategory;
        boolean statusMoved = before != null && before != after;
        if (statusMoved || changed("status")) {
            if (after == StatusCategory.RESOLVED) {
                return TicketEventType.RESOLVED;
            }
            if (after == StatusCategory.CLOSED) {
                return TicketEventType.CLOSED;
            }
            if (before != null && isDone(before) && !isDone(after)) {
                return TicketEventType.REOPENED;
            }
            return TicketEventType.STATUS_CHANGED;
        }
        if (changed("assignee") || changed("team")) {
            return TicketEventType.ASSIGNED;
        }
        if (changed("priority")) {
            return TicketEventType.PRIORITY_CHANGED;
        }
        return TicketEventType.UPDATED;
    }

    private static boolean isDone(StatusCategory category) {
        return category == StatusCategory.RESOLVED || category == StatusCategory.CLOSED || category == StatusCategory.CANCELLED;
    }
}
