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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Autotask ticket webhooks (Autotask REST API, "Webhooks"): {@code {Action, Guid, EntityType, Id, Fields,
 * EventTime, SequenceNumber, PersonID}}. Autotask sends only the fields that changed plus the webhook's
 * "always display" fields, and picklist values as numbers. Because every Bellwether event is a full snapshot, the
 * webhook must have Status, Priority, AssignedResourceID, QueueID and CompanyID as always-display fields; a
 * delivery without them is refused (422, kept in the dead-letter topic) rather than read as "unassigned".
 */
public final class AutotaskAdapter implements Adapter {
    /** Autotask's default ticket status picklist. */
    public static final Map<String, StatusCategory> STATUSES = Map.of(
            "1", StatusCategory.NEW, "5", StatusCategory.RESOLVED, "7", StatusCategory.WAITING_ON_CUSTOMER,
            "8", StatusCategory.IN_PROGRESS, "9", StatusCategory.WAITING_ON_VENDOR, "10", StatusCategory.IN_PROGRESS,
            "11", StatusCategory.IN_PROGRESS, "12", StatusCategory.WAITING_ON_VENDOR, "13", StatusCategory.WAITING_ON_CUSTOMER);
    /** Autotask's default priorities: 4 Critical, 1 High, 2 Medium, 3 Low. */
    public static final Map<String, Priority> PRIORITIES = Map.of(
            "4", Priority.P1, "1", Priority.P2, "2", Priority.P3, "3", Priority.P4);
    static final List<String> ALWAYS_DISPLAY = List.of("Status", "Priority", "AssignedResourceID", "QueueID", "CompanyID");

    private final Vocabulary vocabulary;

    public AutotaskAdapter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public String sourceSystem() {
        return "autotask";
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        String entityType = Fields.text(body, "EntityType");
        if (entityType == null || !entityType.equalsIgnoreCase("Ticket")) {
            throw Rejection.invalid(Rejection.UNKNOWN_EVENT_TYPE, entityType == null ? "The payload has no EntityType"
                    : "Autotask entity '" + Fields.abbreviate(entityType) + "' is not a Ticket");
        }
        String action = Fields.text(body, "Action");
        TicketEventType type = switch (action == null ? "" : action.toLowerCase(java.util.Locale.ROOT)) {
            case "create" -> TicketEventType.CREATED;
            case "update" -> null;
            case "delete" -> TicketEventType.DELETED;
            default -> throw Rejection.invalid(Rejection.UNKNOWN_EVENT_TYPE, "Autotask action '"
                    + (action == null ? "" : Fields.abbreviate(action)) + "' is not Create, Update or Delete");
        };
        JsonNode fields = Fields.at(body, "Fields");
        if (fields == null || !fields.isObject()) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The payload has no Fields object");
        }
        if (type != TicketEventType.DELETED) {
            List<String> missing = new ArrayList<>();
            ALWAYS_DISPLAY.forEach(f -> {
                if (!fields.has(f)) {
                    missing.add(f);
                }
            });
            if (!missing.isEmpty()) {
                throw Rejection.invalid(Rejection.MISSING_FIELD, "Fields lacks " + String.join(", ", missing)
                        + ": add them to the webhook as always-display fields");
            }
        }
        EventDraft e = new EventDraft();
        e.ticketId = Fields.requireText(body, "Id", "ticket id (Id)");
        e.accountId = Fields.text(fields, "CompanyID");
        e.status = Fields.text(fields, "Status");
        e.statusCategory = type == TicketEventType.DELETED ? StatusCategory.CANCELLED : vocabulary.status(e.status);
        e.priority = Fields.text(fields, "Priority");
        e.priorityLevel = vocabulary.priority(e.priority);
        e.assignee = Fields.text(fields, "AssignedResourceID");
        e.team = Fields.text(fields, "QueueID");
        e.category = Fields.firstText(fields, "IssueType");
        e.configurationItem = Fields.text(fields, "ConfigurationItemID");
        e.occurredAt = Fields.time(body, "EventTime", ZoneOffset.UTC);
        e.createdAt = Fields.time(fields, "CreateDate", ZoneOffset.UTC);
        e.type = type != null ? type : (e.statusCategory == StatusCategory.RESOLVED ? TicketEventType.RESOLVED : TicketEventType.UPDATED);
        String person = Fields.text(body, "PersonID");
        e.actor = person;
        e.actorType = person != null ? ActorType.AGENT : ActorType.UNKNOWN;
        String sequence = Fields.text(body, "SequenceNumber");
        String eventTime = Fields.text(body, "EventTime");
        e.sourceEventId = e.ticketId + "/" + (eventTime != null ? eventTime : "") + "/" + (sequence != null ? sequence : "");
        if (eventTime == null && sequence == null) {
            e.sourceEventId = null;
        }
        e.attribute("ticketNumber", Fields.text(fields, "TicketNumber"));
        e.attribute("title", Fields.text(fields, "Title"));
        e.attribute("webhookGuid", Fields.text(body, "Guid"));
        return List.of(e.build(sourceSystem(), delivery.receivedAt()));
    }
}
