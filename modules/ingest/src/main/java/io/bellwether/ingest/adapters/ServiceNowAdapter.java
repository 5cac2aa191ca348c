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
import java.util.Map;

/**
 * ServiceNow incidents posted by an outbound REST message from a business rule, in the shape the Table API returns
 * them (ServiceNow "Table API" and "Outbound REST web service" docs): one record, {@code {"result": record}}, or
 * {@code {"records": [...]}}. Values may be plain, or objects with {@code display_value}/{@code value}
 * ({@code sysparm_display_value=all}). A record's {@code sys_id} and {@code sys_mod_count} identify the update;
 * an optional {@code previous} object (the business rule's {@code previous}) names what changed. Times are in
 * {@code ingest.servicenow.zone} (UTC, as the Table API writes them).
 */
public final class ServiceNowAdapter implements Adapter {
    /** Incident {@code state} values out of the box. */
    public static final Map<String, StatusCategory> STATES = Map.ofEntries(
            Map.entry("1", StatusCategory.NEW), Map.entry("2", StatusCategory.IN_PROGRESS), Map.entry("3", StatusCategory.ON_HOLD),
            Map.entry("6", StatusCategory.RESOLVED), Map.entry("7", StatusCategory.CLOSED), Map.entry("8", StatusCategory.CANCELLED),
            Map.entry("new", StatusCategory.NEW), Map.entry("in progress", StatusCategory.IN_PROGRESS), Map.entry("active", StatusCategory.IN_PROGRESS),
            Map.entry("on hold", StatusCategory.ON_HOLD), Map.entry("resolved", StatusCategory.RESOLVED), Map.entry("closed", StatusCategory.CLOSED),
            Map.entry("canceled", StatusCategory.CANCELLED), Map.entry("awaiting user info", StatusCategory.WAITING_ON_CUSTOMER),
            Map.entry("awaiting vendor", StatusCategory.WAITING_ON_VENDOR));
    /** On-hold reasons: awaiting caller waits on the customer, awaiting vendor on a third party. */
    private static final Map<String, StatusCategory> HOLD_REASONS = Map.of(
            "1", StatusCategory.WAITING_ON_CUSTOMER, "awaiting caller", StatusCategory.WAITING_ON_CUSTOMER,
            "4", StatusCategory.WAITING_ON_VENDOR, "awaiting vendor", StatusCategory.WAITING_ON_VENDOR);

    private final Vocabulary vocabulary;
    private final ZoneId zone;

    public ServiceNowAdapter(Vocabulary vocabulary, ZoneId zone) {
        this.vocabulary = vocabulary;
        this.zone = zone;
    }

    @Override
    public String sourceSystem() {
        return "servicenow";
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        List<JsonNode> records = new ArrayList<>();
        JsonNode many = Fields.at(body, "records");
        if (many != null && many.isArray()) {
            if (many.size() > 100) {
                throw Rejection.invalid(Rejection.INVALID_FIELD, "At most 100 records per delivery, got " + many.size());
            }
            many.forEach(records::add);
        } else {
            JsonNode result = Fields.at(body, "result");
            records.add(result != null && result.isObject() ? result : body);
        }
        if (records.isEmpty()) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The delivery holds no records");
        }
        List<TicketEvent> events = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            events.add(event(record, delivery));
        }
        return events;
    }

    private TicketEvent event(JsonNode record, Delivery delivery) throws Rejection {
        if (!record.isObject()) {
            throw Rejection.invalid(Rejection.INVALID_FIELD, "A record is not a JSON object");
        }
        String table = Fields.text(record, "sys_class_name");
        if (table != null && !table.equalsIgnoreCase("incident") && !table.toLowerCase(java.util.Locale.ROOT).contains("incident")) {
            throw Rejection.invalid(Rejection.UNKNOWN_EVENT_TYPE, "Record of table '" + Fields.abbreviate(table) + "' is not an incident");
        }
        EventDraft e = new EventDraft();
        e.ticketId = Fields.firstText(record, "number", "sys_id");
        String sysId = Fields.firstText(record, "sys_id", "number");
        String mods = Fields.text(record, "sys_mod_count");
        String updatedOn = Fields.text(record, "sys_updated_on");
        e.sourceEventId = sysId == null ? null : sysId + "/" + (mods != null ? mods : updatedOn);
        e.accountId = Fields.firstText(record, "company.value", "company");
        e.accountName = Fields.firstText(record, "company.display_value", "company");
        e.status = Fields.firstText(record, "state", "incident_state");
        e.statusCategory = state(e.status, Fields.text(record, "hold_reason"));
        e.priority = Fields.text(record, "priority");
        e.priorityLevel = vocabulary.priority(e.priority);
        e.assignee = Fields.text(record, "assigned_to");
        e.team = Fields.text(record, "assignment_group");
        e.category = Fields.text(record, "category");
        e.configurationItem = Fields.text(record, "cmdb_ci");
        e.occurredAt = Fields.time(record, "sys_updated_on", zone);
        e.createdAt = Fields.time(record, "opened_at", zone);
        String escalation = Fields.firstText(record, "escalation.value", "escalation");
        e.escalated = escalation != null && !escalation.equals("0") && !escalation.equalsIgnoreCase("normal");

        StatusCategory before = null;
        JsonNode previous = Fields.at(record, "previous");
        if (previous != null && previous.isObject()) {
            String previousState = Fields.firstText(previous, "state", "incident_state");
            if (previousState != null) {
                before = state(previousState, Fields.text(previous, "hold_reason"));
            }
            e.change("status", previousState, e.status);
            e.change("assignee", Fields.text(previous, "assigned_to"), e.assignee);
            e.change("team", Fields.text(previous, "assignment_group"), e.team);
            e.change("priority", Fields.text(previous, "priority"), e.priority);
        }
        if ("0".equals(mods)) {
            e.type = TicketEventType.CREATED;
        } else if (before == null && (e.statusCategory == StatusCategory.RESOLVED || e.statusCategory == StatusCategory.CLOSED)) {
            e.type = e.statusCategory == StatusCategory.RESOLVED ? TicketEventType.RESOLVED : TicketEventType.CLOSED;
        } else {
            e.type = e.classifyUpdate(before);
        }
        String updatedBy = Fields.text(record, "sys_updated_by");
        String caller = Fields.firstText(record, "caller_id.display_value", "caller_id");
        e.actor = updatedBy;
        if (updatedBy == null) {
            e.actorType = ActorType.UNKNOWN;
        } else if (updatedBy.equalsIgnoreCase("system")) {
            e.actorType = ActorType.SYSTEM;
        } else {
            e.actorType = updatedBy.equalsIgnoreCase(caller) || updatedBy.equalsIgnoreCase(Fields.text(record, "caller_id.user_name"))
                    ? ActorType.CUSTOMER : ActorType.AGENT;
        }
        e.attribute("sysId", sysId);
        e.attribute("reassignmentCount", Fields.text(record, "reassignment_count"));
        e.attribute("reopenCount", Fields.text(record, "reopen_count"));
        e.attribute("shortDescription", Fields.text(record, "short_description"));
        return e.build(sourceSystem(), delivery.receivedAt());
    }

    private StatusCategory state(String state, String holdReason) {
        StatusCategory category = vocabulary.status(state);
        if (category == StatusCategory.ON_HOLD && holdReason != null) {
            StatusCategory why = HOLD_REASONS.get(holdReason.trim().toLowerCase(java.util.Locale.ROOT));
            return why != null ? why : category;
        }
        return category;
    }
}
