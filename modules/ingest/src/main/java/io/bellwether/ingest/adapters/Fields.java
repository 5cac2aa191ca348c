package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.ingest.Rejection;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Safe reads from untrusted vendor JSON: a missing field, a null, an object where a string was expected all read as
 * "absent" rather than throwing; only {@link #requireText} turns absence into a rejection naming the field.
 */
public final class Fields {
    /** Jira's {@code 2015-12-20T18:25:09.582+0000} and friends: offsets with or without a colon, optional fraction. */
    private static final DateTimeFormatter OFFSET_LENIENT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendPattern("HH:mm[:ss]").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter SPACED = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').appendPattern("HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();

    private Fields() {
    }

    /** The node at a dotted path ({@code fields.status.name}; digits index arrays), or null. */
    public static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            if (node.isArray() && part.chars().allMatch(Character::isDigit) && !part.isEmpty()) {
                node = part.length() > 6 ? null : node.get(Integer.parseInt(part));
            } else {
                node = node.get(part);
            }
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /**
     * Text at {@code path}: strings and numbers as they are; for an object, the first of its {@code display_value},
     * {@code name}, {@code value}, {@code identifier}, {@code id} that is text (ServiceNow, ConnectWise and Jira wrap
     * references this way). Blank reads as absent.
     */
    public static String text(JsonNode root, String path) {
        return scalar(at(root, path));
    }

    public static String scalar(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String value = node.textValue().trim();
            return value.isEmpty() ? null : value;
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        if (node.isObject()) {
            for (String key : new String[]{"display_value", "name", "value", "identifier", "id"}) {
                JsonNode inner = node.get(key);
                if (inner != null && (inner.isTextual() || inner.isNumber())) {
                    String value = inner.asText().trim();
                    if (!value.isEmpty()) {
                        return value;
                    }
                }
            }
        }
        return null;
    }

    /** The first present of several paths. */
    public static String firstText(JsonNode root, String... paths) {
        for (String path : paths) {
            String value = text(root, path);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    public static String requireText(JsonNode root, String path, String what) throws Rejection {
        String value = text(root, path);
        if (value == null) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The payload has no " + what + " (" + path + ")");
        }
        if (value.length() > 256) {
            throw Rejection.invalid(Rejection.INVALID_FIELD, what + " is longer than 256 characters (" + path + ")");
        }
        return value;
    }

    public static boolean bool(JsonNode root, String path) {
        JsonNode node = at(root, path);
        return node != null && (node.asBoolean(false) || "true".equalsIgnoreCase(node.asText()));
    }

    /**
     * A time in any of the shapes vendors use: epoch milliseconds (number or digits), ISO-8601 with offset
     * ({@code Z}, {@code +01:00}, {@code +0100}), or a local date-time ({@code T} or space separated) in {@code zone}.
     * An unparseable value is a rejection naming the field, never a guess.
     */
    public static Instant time(JsonNode root, String path, ZoneId zone) throws Rejection {
        String value = text(root, path);
        if (value == null) {
            return null;
        }
        Instant parsed = parseTime(value, zone);
        if (parsed == null) {
            throw Rejection.invalid(Rejection.INVALID_FIELD, "Cannot read '" + abbreviate(value) + "' at " + path + " as a time");
        }
        return parsed;
    }

    public static Instant parseTime(String value, ZoneId zone) {
        String v = value.trim();
        try {
            if (!v.isEmpty() && v.length() <= 15 && v.chars().allMatch(Character::isDigit)) {
                long number = Long.parseLong(v);
                // Ten digits or fewer is seconds (until the year 2286), more is milliseconds.
                return v.length() <= 10 ? Instant.ofEpochSecond(number) : Instant.ofEpochMilli(number);
            }
            var parsed = OFFSET_LENIENT.parseBest(v, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime odt) {
                return odt.toInstant();
            }
            return ((LocalDateTime) parsed).atZone(zone).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            try {
                return LocalDateTime.parse(v, SPACED).atZone(zone).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }
}
