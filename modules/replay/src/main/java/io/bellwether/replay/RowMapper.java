package io.bellwether.replay;

import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns one export row into a ticket snapshot by the mapping, or says why it cannot. */
final class RowMapper {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

    private final ExportMapping mapping;
    private final DateTimeFormatter formatter;

    RowMapper(ExportMapping mapping) {
        this.mapping = mapping;
        this.formatter = mapping.time().formatter();
    }

    /** One mapped row. */
    record Snapshot(long line, String ticketId, Instant occurredAt, Instant createdAt, String accountId, String accountName,
                    String status, StatusCategory statusCategory, String priority, Priority priorityLevel, String assignee,
                    String team, String category, String configurationItem, String vendor, String actor, ActorType actorType,
                    boolean escalated, String sourceEventId, String eventType, Map<String, String> attributes,
                    Map<String, String> raw) {
    }

    /** Null when the row is to be skipped by the mapping's skipWhen. */
    Snapshot map(ExportReader.Row row) {
        for (Map.Entry<String, java.util.Set<String>> skip : mapping.skipWhen().entrySet()) {
            String value = row.values().get(skip.getKey());
            if (value != null && skip.getValue().contains(value)) {
                return null;
            }
        }
        String ticketId = field(row, "ticketId");
        if (ticketId == null) {
            throw new IllegalArgumentException("no ticket id (column '" + mapping.fields().get("ticketId") + "' is empty or missing)");
        }
        Instant occurredAt = time(row, "occurredAt", true);
        Instant createdAt = time(row, "createdAt", false);
        String status = field(row, "status");
        StatusCategory category = status == null ? mapping.statusFallback()
                : mapping.statuses().getOrDefault(status.toLowerCase(Locale.ROOT), mapping.statusFallback());
        String priority = field(row, "priority");
        Priority level = priority(priority);
        String actorTypeText = field(row, "actorType");
        ActorType actorType = actorTypeText == null ? ActorType.UNKNOWN
                : mapping.actors().getOrDefault(actorTypeText.toLowerCase(Locale.ROOT), ActorType.UNKNOWN);
        String escalatedText = field(row, "escalated");
        boolean escalated = (escalatedText != null && (escalatedText.equalsIgnoreCase("true") || escalatedText.equals("1")
                || escalatedText.equalsIgnoreCase("yes"))) || (status != null && mapping.escalationStatuses().contains(status));
        Map<String, String> attributes = new TreeMap<>();
        for (String column : mapping.attributes()) {
            String value = value(row, column);
            if (value != null) {
                attributes.put(column, value);
            }
        }
        return new Snapshot(row.line(), ticketId, occurredAt, createdAt, field(row, "accountId"), field(row, "accountName"), status,
                category, priority, level, field(row, "assignee"), field(row, "team"), field(row, "category"),
                field(row, "configurationItem"), field(row, "vendor"), field(row, "actor"), actorType, escalated,
                field(row, "sourceEventId"), field(row, "eventType"), attributes, row.values());
    }

    private Priority priority(String raw) {
        if (raw == null) {
            return Priority.UNKNOWN;
        }
        Priority mapped = mapping.priorities().get(raw.toLowerCase(Locale.ROOT));
        if (mapped != null) {
            return mapped;
        }
        String text = raw.trim().toUpperCase(Locale.ROOT);
        if (text.matches("P[1-5]")) {
            return Priority.valueOf(text);
        }
        if (text.matches("[1-5]")) {
            return Priority.valueOf("P" + text);
        }
        return Priority.UNKNOWN;
    }

    /**
     * A canonical field's value: its column, or its template filled from several columns; {@code "A|B"} takes the first
     * alternative that is not empty (a coalesce).
     */
    String field(ExportReader.Row row, String canonical) {
        String spec = mapping.fields().get(canonical);
        if (spec == null) {
            return null;
        }
        for (String alternative : ExportMapping.alternatives(spec)) {
            String value = alternative(row, alternative);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private String alternative(ExportReader.Row row, String spec) {
        if (!spec.contains("{")) {
            return value(row, spec);
        }
        Matcher m = PLACEHOLDER.matcher(spec);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = value(row, m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A column's value, trimmed; null when empty by the mapping's nulls or the column's own. */
    String value(ExportReader.Row row, String column) {
        String value = row.values().get(column);
        if (value == null) {
            return null;
        }
        value = value.trim();
        return mapping.nulls().contains(value) || mapping.nullsByColumn().getOrDefault(column, Set.of()).contains(value) ? null : value;
    }

    private Instant time(ExportReader.Row row, String canonical, boolean required) {
        String text = field(row, canonical);
        if (text == null) {
            if (required) {
                throw new IllegalArgumentException("no " + canonical + " (column '" + mapping.fields().get(canonical) + "' is empty)");
            }
            return null;
        }
        try {
            return parseTime(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(canonical + " '" + text + "' does not match the time format '" + mapping.time().pattern() + "'");
        }
    }

    Instant parseTime(String text) {
        switch (mapping.time().pattern()) {
            case "epoch-millis":
                return Instant.ofEpochMilli(Long.parseLong(text));
            case "epoch-seconds":
                return Instant.ofEpochSecond(Long.parseLong(text));
            case "iso":
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException noOffset) {
                    try {
                        return Instant.parse(text);
                    } catch (DateTimeParseException notInstant) {
                        return LocalDateTime.parse(text).atZone(mapping.time().zone()).toInstant();
                    }
                }
            default:
                TemporalAccessor parsed = formatter.parse(text);
                if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                    return ZonedDateTime.from(parsed).toInstant();
                }
                return LocalDateTime.from(parsed).atZone(mapping.time().zone()).toInstant();
        }
    }
}
