package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HaloPSA webhooks for tickets (HaloPSA "Webhooks" integration guide; the ticket as the Halo API's Tickets
 * resource returns it): the ticket at the top level or under {@code ticket}, with an optional {@code event} name.
 * The client is the account, the agent the assignee, {@code category_1} the category. Statuses are per
 * installation: names are read by their words, numeric ids by Halo's out-of-the-box list unless
 * {@code ingest.halopsa.status-map} says otherwise. Halo writes times without a zone, in UTC.
 */
public final class HaloAdapter implements Adapter {
    /** Halo's out-of-the-box status ids. */
    public static final Map<String, StatusCategory> STATUSES = Map.of(
            "1", StatusCategory.NEW, "2", StatusCategory.IN_PROGRESS, "3", StatusCategory.OPEN, "4", StatusCategory.WAITING_ON_CUSTOMER,
            "5", StatusCategory.WAITING_ON_VENDOR, "8", StatusCategory.ON_HOLD, "9", StatusCategory.CLOSED);
    public static final Map<String, Priority> PRIORITIES = Map.of(
            "1", Priority.P1, "2", Priority.P2, "3", Priority.P3, "4", Priority.P4, "5", Priority.P5);

    private final Vocabulary vocabulary;
    private final ZoneId zone;

    public HaloAdapter(Vocabulary vocabulary, ZoneId zone) {
        this.vocabulary = vocabulary;
        this.zone = zone;
    }

    @Override
    public String sourceSystem() {
        return "halopsa";
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        JsonNode ticket = Fields.at(body, "ticket");
        if (ticket == null || !ticket.isObject()) {
            ticket = body;
        }
        String event = Fields.firstText(body, "event", "event_name", "webhook_event");
        EventDraft e = new EventDraft();
        e.ticketId = Fields.requireText(ticket, "id", "ticket id");
        e.accountId = Fields.firstText(ticket, "client_id");
        e.accountName = Fields.firstText(ticket, "client_name");
        String statusName = Fields.firstText(ticket, "status_name", "status.name");
        String statusId = Fields.firstText(ticket, "status_id");
        e.status = statusName != null ? statusName : statusId;
        StatusCategory byId = statusId == null ? StatusCategory.UNKNOWN : vocabulary.status(statusId);
        e.statusCategory = byId != StatusCategory.UNKNOWN ? byId : vocabulary.status(statusName);
        String priorityId = Fields.firstText(ticket, "priority_id");
        e.priority = Fields.firstText(ticket, "priority_name", "priority.name", "priority_id");
        e.priorityLevel = priorityId != null && vocabulary.priority(priorityId) != Priority.UNKNOWN
                ? vocabulary.priority(priorityId) : vocabulary.priority(e.priority);
        e.assignee = Fields.firstText(ticket, "agent_name", "agent_id");
        if ("0".equals(Fields.text(ticket, "agent_id")) && Fields.text(ticket, "agent_name") == null) {
            e.assignee = null;  // Halo's "unassigned" agent
        }
        e.team = Fields.firstText(ticket, "team", "team_name");
        e.category = Fields.firstText(ticket, "category_1", "tickettype_name", "tickettype_id");
        e.configurationItem = Fields.firstText(ticket, "configitem_name", "assets.0.inventory_number");
        e.occurredAt = firstTime(ticket, "lastactiondate", "last_update", "dateoccurred");
        e.createdAt = firstTime(ticket, "dateoccurred");
        e.escalated = Fields.bool(ticket, "escalated") || "true".equalsIgnoreCase(Fields.text(ticket, "is_escalated"));
        String name = event == null ? "" : event.toLowerCase(Locale.ROOT);
        if (name.contains("log") || name.contains("creat") || name.contains("new ticket")) {
            e.type = TicketEventType.CREATED;
        } else if (name.contains("delet")) {
            e.type = TicketEventType.DELETED;
        } else if (name.contains("action") || name.contains("note")) {
            e.type = TicketEventType.COMMENTED;
        } else if (e.statusCategory == StatusCategory.CLOSED) {
            e.type = TicketEventType.CLOSED;
        } else if (e.statusCategory == StatusCategory.RESOLVED) {
            e.type = TicketEventType.RESOLVED;
        } else {
            e.type = TicketEventType.UPDATED;
        }
        String who = Fields.firstText(body, "who", "user_name", "agent");
        e.actor = who;
        e.actorType = Fields.text(body, "who_type") != null
                ? ("agent".equalsIgnoreCase(Fields.text(body, "who_type")) ? ActorType.AGENT : ActorType.CUSTOMER) : ActorType.UNKNOWN;
        String deliveryId = Fields.firstText(body, "webhook_id", "guid");
        String updated = Fields.firstText(ticket, "lastactiondate", "last_update");
        e.sourceEventId = deliveryId != null ? deliveryId : updated != null ? e.ticketId + "/" + updated : null;
        e.attribute("summary", Fields.text(ticket, "summary"));
        e.attribute("haloEvent", event);
        return List.of(e.build(sourceSystem(), delivery.receivedAt()));
    }

    private java.time.Instant firstTime(JsonNode ticket, String... paths) throws Rejection {
        for (String path : paths) {
            java.time.Instant t = Fields.time(ticket, path, zone);
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
