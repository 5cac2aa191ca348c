package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Freshservice tickets sent by a Workflow Automator "Trigger Webhook" action. Two bodies are read: the advanced
 * JSON body from the README (a {@code ticket} object shaped like the Freshservice API v2 ticket, plus
 * {@code event}), and the simple body ({@code freshdesk_webhook} with {@code ticket_*} placeholders). Status and
 * priority come as the API's numbers (2 Open, 3 Pending, 4 Resolved, 5 Closed; 1 Low … 4 Urgent) or as names.
 * The department (else the company) is the account, the group the team.
 */
public final class FreshserviceAdapter implements Adapter {
    public static final Map<String, StatusCategory> STATUSES = Map.of(
            "2", StatusCategory.OPEN, "3", StatusCategory.WAITING_ON_CUSTOMER, "4", StatusCategory.RESOLVED, "5", StatusCategory.CLOSED,
            "pending", StatusCategory.WAITING_ON_CUSTOMER);
    public static final Map<String, Priority> PRIORITIES = Map.of(
            "4", Priority.P1, "3", Priority.P2, "2", Priority.P3, "1", Priority.P4);

    private final Vocabulary vocabulary;

    public FreshserviceAdapter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public String sourceSystem() {
        return "freshservice";
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        JsonNode simple = Fields.at(body, "freshdesk_webhook");
        JsonNode ticket = Fields.at(body, "ticket");
        EventDraft e = new EventDraft();
        String event;
        if (ticket != null && ticket.isObject()) {
            event = Fields.text(body, "event");
            e.ticketId = Fields.requireText(ticket, "id", "ticket id (ticket.id)");
            e.accountId = Fields.firstText(ticket, "department_id", "company_id");
            e.accountName = Fields.firstText(ticket, "department_name", "company_name");
            e.status = Fields.text(ticket, "status");
            e.priority = Fields.text(ticket, "priority");
            e.assignee = Fields.firstText(ticket, "responder_email", "responder_id");
            e.team = Fields.firstText(ticket, "group_name", "group_id");
            e.category = Fields.firstText(ticket, "category", "type");
            e.configurationItem = Fields.firstText(ticket, "asset_name", "assets.0.name");
            e.occurredAt = Fields.time(ticket, "updated_at", ZoneOffset.UTC);
            e.createdAt = Fields.time(ticket, "created_at", ZoneOffset.UTC);
            e.escalated = Fields.bool(ticket, "is_escalated");
            e.actor = Fields.text(body, "actor");
        } else if (simple != null && simple.isObject()) {
            event = Fields.text(simple, "triggered_event");
            e.ticketId = Fields.requireText(simple, "ticket_id", "ticket id (freshdesk_webhook.ticket_id)");
            e.accountId = Fields.firstText(simple, "ticket_department_name", "ticket_company_name");
            e.accountName = e.accountId;
            e.status = Fields.text(simple, "ticket_status");
            e.priority = Fields.text(simple, "ticket_priority");
            e.assignee = Fields.firstText(simple, "ticket_agent_email", "ticket_agent_name");
            e.team = Fields.text(simple, "ticket_group_name");
            e.category = Fields.firstText(simple, "ticket_category", "ticket_type");
            e.occurredAt = Fields.time(simple, "ticket_updated_at", ZoneOffset.UTC);
            e.createdAt = Fields.time(simple, "ticket_created_at", ZoneOffset.UTC);
        } else {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The payload has neither a ticket object nor freshdesk_webhook");
        }
        e.statusCategory = vocabulary.status(e.status);
        e.priorityLevel = vocabulary.priority(e.priority);
        String name = event == null ? "" : event.toLowerCase(Locale.ROOT);
        if (name.contains("creat")) {
            e.type = TicketEventType.CREATED;
        } else if (name.contains("note") || name.contains("reply") || name.contains("comment")) {
            e.type = TicketEventType.COMMENTED;
        } else if (name.contains("delet")) {
            e.type = TicketEventType.DELETED;
        } else {
            e.type = e.statusCategory == StatusCategory.RESOLVED ? TicketEventType.RESOLVED
                    : e.statusCategory == StatusCategory.CLOSED ? TicketEventType.CLOSED : TicketEventType.UPDATED;
        }
        String actorType = Fields.text(body, "actor_type");
        e.actorType = actorType == null ? ActorType.UNKNOWN
                : actorType.equalsIgnoreCase("agent") ? ActorType.AGENT : actorType.equalsIgnoreCase("requester") ? ActorType.CUSTOMER : ActorType.UNKNOWN;
        String updated = e.occurredAt == null ? null : e.occurredAt.toString();
        String explicit = Fields.text(body, "event_id");
        e.sourceEventId = explicit != null ? explicit : updated != null ? e.ticketId + "/" + updated + "/" + name : null;
        e.attribute("freshserviceEvent", event);
        return List.of(e.build(sourceSystem(), delivery.receivedAt()));
    }
}
