package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.events.ActorType;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Zendesk event webhooks for ticket events ({@code zen:event-type:ticket.*}, Zendesk Developer Docs "Ticket
 * events"): {@code detail} is the ticket after the change, {@code event} says what changed ({@code previous} and
 * {@code current}). The organization is the account; the group is the team. The event's {@code id} identifies a
 * delivery, so Zendesk's retries are recognised downstream. An actor equal to the requester is the customer; the
 * system actor ({@code -1}) is the system.
 */
public final class ZendeskAdapter implements Adapter {
    private static final String PREFIX = "zen:event-type:ticket.";
    /** Zendesk's own statuses: pending waits on the requester, hold on a third party. */
    public static final Map<String, StatusCategory> STATUSES = Map.of(
            "new", StatusCategory.NEW, "open", StatusCategory.OPEN, "pending", StatusCategory.WAITING_ON_CUSTOMER,
            "hold", StatusCategory.WAITING_ON_VENDOR, "solved", StatusCategory.RESOLVED, "closed", StatusCategory.CLOSED,
            "deleted", StatusCategory.CANCELLED);

    private final Vocabulary vocabulary;

    public ZendeskAdapter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public String sourceSystem() {
        return "zendesk";
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        String type = Fields.text(body, "type");
        if (type == null || !type.startsWith(PREFIX)) {
            throw Rejection.invalid(Rejection.UNKNOWN_EVENT_TYPE, type == null ? "The payload has no event type (type)"
                    : "Zendesk event '" + Fields.abbreviate(type) + "' is not a ticket event (zen:event-type:ticket.*)");
        }
        String kind = type.substring(PREFIX.length());
        JsonNode detail = Fields.at(body, "detail");
        if (detail == null || !detail.isObject()) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The payload has no ticket detail (detail)");
        }
        EventDraft e = new EventDraft();
        e.sourceEventId = Fields.requireText(body, "id", "event id");
        e.ticketId = Fields.requireText(detail, "id", "ticket id");
        e.accountId = Fields.text(detail, "organization_id");
        e.status = Fields.text(detail, "status");
        e.priority = Fields.text(detail, "priority");
        e.assignee = Fields.text(detail, "assignee_id");
        e.team = Fields.text(detail, "group_id");
        e.category = Fields.text(detail, "type");
        e.occurredAt = Fields.time(body, "time", ZoneOffset.UTC);
        e.createdAt = Fields.time(detail, "created_at", ZoneOffset.UTC);
        if ("status_changed".equals(kind)) {
            // detail may lag the event on busy tickets; the event's own value is the one this change made.
            String current = Fields.text(body, "event.current");
            e.status = current != null ? current : e.status;
            e.change("status", Fields.text(body, "event.previous"), current);
        }
        e.statusCategory = vocabulary.status(e.status);
        e.priorityLevel = vocabulary.priority(e.priority);
        String previous = Fields.text(body, "event.previous");
        String current = Fields.text(body, "event.current");
        e.type = switch (kind) {
            case "created" -> TicketEventType.CREATED;
            case "status_changed" -> e.classifyUpdate(previous == null ? null : vocabulary.status(previous));
            case "agent_assignment_changed" -> {
                e.change("assignee", previous, current);
                yield TicketEventType.ASSIGNED;
            }
            case "group_assignment_changed" -> {
                e.change("team", previous, current);
                yield TicketEventType.ASSIGNED;
            }
            case "priority_changed" -> {
                e.change("priority", previous, current);
                yield TicketEventType.PRIORITY_CHANGED;
            }
            case "comment_added" -> TicketEventType.COMMENTED;
            case "soft_deleted", "permanently_deleted", "marked_as_spam" -> TicketEventType.DELETED;
            default -> {
                e.change(kind.replace("_changed", ""), previous, current);
                yield TicketEventType.UPDATED;
            }
        };
        actor(e, body, detail, kind);
        e.attribute("zendeskEvent", kind);
        e.attribute("subject", Fields.text(detail, "subject"));
        e.attribute("accountId", Fields.text(body, "account_id"));
        return List.of(e.build(sourceSystem(), delivery.receivedAt()));
    }

    private static void actor(EventDraft e, JsonNode body, JsonNode detail, String kind) {
        String actor = Fields.text(detail, "actor_id");
        e.actor = actor;
        if ("comment_added".equals(kind) && Fields.at(body, "event.comment.author.is_staff") != null) {
            e.actor = Fields.text(body, "event.comment.author.id");
            e.actorType = Fields.bool(body, "event.comment.author.is_staff") ? ActorType.AGENT : ActorType.CUSTOMER;
        } else if (actor == null) {
            e.actorType = ActorType.UNKNOWN;
        } else if ("-1".equals(actor)) {
            e.actorType = ActorType.SYSTEM;
        } else {
            e.actorType = actor.equals(Fields.text(detail, "requester_id")) ? ActorType.CUSTOMER : ActorType.AGENT;
        }
    }
}
