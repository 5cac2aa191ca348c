package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.events.ActorType;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Jira Software / Jira Service Management issue webhooks ({@code jira:issue_created}, {@code jira:issue_updated},
 * {@code jira:issue_deleted}, {@code comment_created}, {@code comment_updated}), as described in Atlassian's
 * "Webhooks" documentation. The issue key is the ticket id; the account is the JSM organization (the
 * {@code ingest.jira.account-field}, by default {@code customfield_10002}) or else the project. The changelog's items
 * become field changes, so reassignments, reopens and priority changes are explicit. A change made by the issue's
 * reporter counts as the customer's, anyone else's as an agent's.
 */
public final class JiraAdapter implements Adapter {
    /** Jira's own status categories: new, indeterminate (in progress), done. */
    private static final Map<String, StatusCategory> CATEGORY_KEYS = Map.of(
            "new", StatusCategory.NEW, "indeterminate", StatusCategory.IN_PROGRESS, "done", StatusCategory.RESOLVED);

    private final Vocabulary vocabulary;
    private final String accountField;

    public JiraAdapter(Vocabulary vocabulary, String accountField) {
        this.vocabulary = vocabulary;
        this.accountField = accountField == null || accountField.isBlank() ? "customfield_10002" : accountField;
    }

    @Override
    public String sourceSystem() {
        return "jira";
    }

    @Override
    public List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection {
        String webhookEvent = Fields.text(body, "webhookEvent");
        TicketEventType type = switch (webhookEvent == null ? "" : webhookEvent) {
            case "jira:issue_created" -> TicketEventType.CREATED;
            case "jira:issue_updated" -> null;
            case "jira:issue_deleted" -> TicketEventType.DELETED;
            case "comment_created", "comment_updated" -> TicketEventType.COMMENTED;
            default -> throw Rejection.invalid(Rejection.UNKNOWN_EVENT_TYPE, webhookEvent == null
                    ? "The payload has no webhookEvent"
                    : "Jira event '" + Fields.abbreviate(webhookEvent) + "' is not an issue or comment event Bellwether reads");
        };
        JsonNode issue = Fields.at(body, "issue");
        if (issue == null || !issue.isObject()) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The payload has no issue object");
        }
        EventDraft e = new EventDraft();
        e.ticketId = Fields.requireText(issue, "key", "issue key");
        JsonNode fields = Fields.at(issue, "fields");
        if (fields == null) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The issue has no fields (issue.fields)");
        }
        account(e, fields);
        e.status = Fields.text(fields, "status.name");
        e.statusCategory = status(e.status, Fields.text(fields, "status.statusCategory.key"));
        e.priority = Fields.text(fields, "priority.name");
        e.priorityLevel = vocabulary.priority(e.priority);
        e.assignee = Fields.firstText(fields, "assignee.name", "assignee.accountId", "assignee.key");
        e.team = Fields.firstText(fields, "components.0.name");
        e.category = Fields.text(fields, "issuetype.name");
        e.createdAt = Fields.time(fields, "created", ZoneOffset.UTC);
        Instant stamped = Fields.time(body, "timestamp", ZoneOffset.UTC);
        e.occurredAt = stamped != null ? stamped : Fields.time(fields, "updated", ZoneOffset.UTC);

        StatusCategory before = null;
        JsonNode items = Fields.at(body, "changelog.items");
        if (items != null && items.isArray()) {
            for (JsonNode item : items) {
                String field = Fields.text(item, "field");
                String from = Fields.text(item, "fromString");
                String to = Fields.text(item, "toString");
                if ("status".equalsIgnoreCase(field)) {
                    before = vocabulary.status(from);
                }
                e.change(field == null ? null : field.toLowerCase(java.util.Locale.ROOT), from, to);
            }
        }
        e.type = type != null ? type : e.classifyUpdate(before);

        String actor = Fields.firstText(body, "user.name", "user.accountId", "comment.author.name", "comment.author.accountId");
        String reporter = Fields.firstText(fields, "reporter.name", "reporter.accountId");
        e.actor = actor;
        e.actorType = actor == null ? ActorType.UNKNOWN : Objects.equals(actor, reporter) ? ActorType.CUSTOMER : ActorType.AGENT;

        String changelogId = Fields.text(body, "changelog.id");
        String commentId = Fields.text(body, "comment.id");
        String delivered = delivery.header("X-Atlassian-Webhook-Identifier");
        e.sourceEventId = delivered != null ? delivered
                : Fields.text(issue, "id") + "/" + (webhookEvent) + "/" + (changelogId != null ? changelogId : commentId != null ? commentId
                : Fields.text(body, "timestamp"));
        e.attribute("project", Fields.text(fields, "project.key"));
        e.attribute("summary", Fields.text(fields, "summary"));
        e.attribute("resolution", Fields.text(fields, "resolution.name"));
        return List.of(e.build(sourceSystem(), delivery.receivedAt()));
    }

    private void account(EventDraft e, JsonNode fields) {
        JsonNode org = Fields.at(fields, accountField);
        if (org != null && org.isArray()) {
            org = org.size() > 0 ? org.get(0) : null;
        }
        String orgId = org == null ? null : Fields.scalar(org.get("id") != null ? org.get("id") : org);
        String orgName = org == null ? null : Fields.scalar(org.get("name") != null ? org.get("name") : org);
        e.accountId = orgId != null ? orgId : Fields.text(fields, "project.key");
        e.accountName = orgName != null ? orgName : Fields.text(fields, "project.name");
    }

    /** The configured name mapping first; then the name's words; then Jira's own status category. */
    private StatusCategory status(String name, String categoryKey) {
        StatusCategory byName = vocabulary.status(name);
        if (byName != StatusCategory.UNKNOWN) {
            return byName;
        }
        return categoryKey == null ? StatusCategory.UNKNOWN : CATEGORY_KEYS.getOrDefault(categoryKey, StatusCategory.UNKNOWN);
    }
}
