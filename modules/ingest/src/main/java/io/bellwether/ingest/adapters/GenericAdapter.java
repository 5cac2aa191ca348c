package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.events.ActorType;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Any other system: a declarative {@link GenericMapping} says where each canonical field sits in the body
 * (dotted paths), and the vocabulary maps its statuses and priorities. Without a mapping file the body is
 * Bellwether's own JSON form (field names as in {@code TicketEvent}). A body may be one event or
 * {@code {"events": [...]}} (up to 100).
 */
public final class GenericAdapter implements Adapter {
    private final GenericMapping mapping;
    private final Vocabulary vocabulary;

    public GenericAdapter(GenericMapping mapping, Vocabulary vocabulary) {
        this.mapping = mapping;
        this.vocabulary = vocabulary.withOverrides(mapping.statusMap(), mapping.priorityMap());
    }

    @Override
    public String sourceSystem() {
        return mapping.source();
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        List<JsonNode> items = new ArrayList<>();
        JsonNode many = Fields.at(body, "events");
        if (many != null && many.isArray()) {
            if (many.size() > 100) {
                throw Rejection.invalid(Rejection.INVALID_FIELD, "At most 100 events per delivery, got " + many.size());
            }
            many.forEach(items::add);
        } else {
            items.add(body);
        }
        if (items.isEmpty()) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The delivery holds no events");
        }
        List<TicketEvent> events = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw Rejection.invalid(Rejection.INVALID_FIELD, "An event is not a JSON object");
            }
            events.add(event(item, delivery));
        }
        return events;
    }

    private TicketEvent event(JsonNode item, Delivery delivery) throws Rejection {
        ZoneId zone = mapping.zone();
        EventDraft e = new EventDraft();
        e.ticketId = Fields.requireText(item, mapping.path("ticketId"), "ticket id");
        e.sourceEventId = Fields.text(item, mapping.path("sourceEventId"));
        e.accountId = Fields.text(item, mapping.path("accountId"));
        e.accountName = Fields.text(item, mapping.path("accountName"));
        e.status = Fields.text(item, mapping.path("status"));
        String category = Fields.text(item, mapping.path("statusCategory"));
        e.statusCategory = category != null ? enumOf(StatusCategory.class, category, "statusCategory") : vocabulary.status(e.status);
        e.priority = Fields.text(item, mapping.path("priority"));
        e.priorityLevel = vocabulary.priority(e.priority);
        e.assignee = Fields.text(item, mapping.path("assignee"));
        e.team = Fields.text(item, mapping.path("team"));
        e.category = Fields.text(item, mapping.path("category"));
        e.configurationItem = Fields.text(item, mapping.path("configurationItem"));
        e.vendor = Fields.text(item, mapping.path("vendor"));
        e.escalated = Fields.bool(item, mapping.path("escalated"));
        e.actor = Fields.text(item, mapping.path("actor"));
        String actorType = Fields.text(item, mapping.path("actorType"));
        e.actorType = actorType == null ? ActorType.UNKNOWN : enumOf(ActorType.class, actorType, "actorType");
        e.occurredAt = Fields.time(item, mapping.path("occurredAt"), zone);
        e.createdAt = Fields.time(item, mapping.path("createdAt"), zone);
        JsonNode changes = Fields.at(item, mapping.path("changes"));
        if (changes != null && changes.isArray()) {
            for (JsonNode change : changes) {
                e.change(Fields.text(change, "field"), Fields.text(change, "from"), Fields.text(change, "to"));
            }
        }
        String type = Fields.text(item, mapping.path("eventType"));
        e.type = type != null ? enumOf(TicketEventType.class, type, "eventType")
                : e.classifyUpdate(e.previous("status") == null ? null : vocabulary.status(e.previous("status")));
        if (e.sourceEventId == null && e.occurredAt != null) {
            e.sourceEventId = e.ticketId + "/" + e.occurredAt.toEpochMilli() + "/" + e.type;
        }
        return e.build(sourceSystem(), delivery.receivedAt());
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) throws Rejection {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid(Rejection.INVALID_FIELD, "'" + Fields.abbreviate(value) + "' is not a valid " + field);
        }
    }
}
