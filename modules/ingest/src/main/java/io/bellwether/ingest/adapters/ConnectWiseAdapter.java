package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.json.Json;
import io.bellwether.events.ActorType;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * ConnectWise PSA (Manage) callbacks for service tickets (ConnectWise Developer Guide, "Callbacks"): an envelope
 * {@code {MessageId, Action, Type, ID, MemberId, Entity}} where {@code Entity} is the ticket, as the REST API's
 * ticket model, serialised into a string. The company identifier is the account, the team (else the board) the
 * team, the owner (else the first resource) the assignee. Status names are per board, so they are read by their
 * words unless {@code ingest.connectwise.status-map} says otherwise; a status flagged closed is closed.
 */
public final class ConnectWiseAdapter implements Adapter {
    private final Vocabulary vocabulary;

    public ConnectWiseAdapter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public String sourceSystem() {
        return "connectwise";
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        String type = Fields.text(body, "Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).equals("ticket")) {
            throw Rejection.invalid(Rejection.UNKNOWN_EVENT_TYPE, type == null ? "The callback has no Type"
                    : "ConnectWise callback type '" + Fields.abbreviate(type) + "' is not a ticket");
        }
        String action = Fields.text(body, "Action");
        TicketEventType eventType = switch (action == null ? "" : action.toLowerCase(Locale.ROOT)) {
            case "added" -> TicketEventType.CREATED;
            case "updated" -> null;
            case "deleted" -> TicketEventType.DELETED;
            default -> throw Rejection.invalid(Rejection.UNKNOWN_EVENT_TYPE, "ConnectWise callback action '"
                    + (action == null ? "" : Fields.abbreviate(action)) + "' is not added, updated or deleted");
        };
        JsonNode ticket = entity(body);
        EventDraft e = new EventDraft();
        e.ticketId = Fields.firstText(ticket, "id");
        if (e.ticketId == null) {
            e.ticketId = Fields.requireText(body, "ID", "ticket id");
        }
        e.accountId = Fields.firstText(ticket, "company.identifier", "company.id");
        e.accountName = Fields.text(ticket, "company.name");
        e.status = Fields.text(ticket, "status.name");
        StatusCategory category = vocabulary.status(e.status);
        if (Fields.bool(ticket, "closedFlag") && category != StatusCategory.CANCELLED) {
            category = category == StatusCategory.RESOLVED ? category : StatusCategory.CLOSED;
        }
        e.statusCategory = eventType == TicketEventType.DELETED ? StatusCategory.CANCELLED : category;
        e.priority = Fields.text(ticket, "priority.name");
        e.priorityLevel = vocabulary.priority(e.priority);
        e.assignee = Fields.text(ticket, "owner.identifier");
        if (e.assignee == null) {
            String resources = Fields.text(ticket, "resources");
            e.assignee = resources == null ? null : resources.split(",")[0].trim();
        }
        e.team = Fields.firstText(ticket, "team.name", "board.name");
        e.category = Fields.firstText(ticket, "type.name", "subType.name");
        e.configurationItem = Fields.text(ticket, "item.name");
        e.occurredAt = Fields.time(ticket, "_info.lastUpdated", ZoneOffset.UTC);
        e.createdAt = Fields.time(ticket, "_info.dateEntered", ZoneOffset.UTC);
        e.escalated = e.status != null && e.status.toLowerCase(Locale.ROOT).contains("escalat");
        e.type = eventType != null ? eventType : (e.statusCategory == StatusCategory.CLOSED ? TicketEventType.CLOSED
                : e.statusCategory == StatusCategory.RESOLVED ? TicketEventType.RESOLVED : TicketEventType.UPDATED);
        String member = Fields.text(body, "MemberId");
        e.actor = member != null ? member : Fields.text(ticket, "_info.updatedBy");
        e.actorType = member != null ? ActorType.AGENT : ActorType.UNKNOWN;
        String messageId = Fields.text(body, "MessageId");
        e.sourceEventId = messageId != null ? messageId : e.ticketId + "/" + Fields.text(ticket, "_info.lastUpdated");
        e.attribute("board", Fields.text(ticket, "board.name"));
        e.attribute("summary", Fields.text(ticket, "summary"));
        e.attribute("companyId", Fields.text(body, "CompanyId"));
        return List.of(e.build(sourceSystem(), delivery.receivedAt()));
    }

    /** The ticket: a JSON string in the envelope (as ConnectWise sends it), or an object, or absent on deletes. */
    private static JsonNode entity(JsonNode body) throws Rejection {
        JsonNode entity = Fields.at(body, "Entity");
        if (entity == null) {
            return Json.MAPPER.createObjectNode();
        }
        if (entity.isObject()) {
            return entity;
        }
        if (entity.isTextual()) {
            try {
                JsonNode parsed = Json.MAPPER.readTree(entity.textValue());
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
            } catch (JsonProcessingException e) {
                throw Rejection.invalid(Rejection.MALFORMED, "Entity is not valid JSON: " + e.getOriginalMessage());
            }
        }
        throw Rejection.invalid(Rejection.INVALID_FIELD, "Entity is neither a ticket object nor a JSON string of one");
    }
}
