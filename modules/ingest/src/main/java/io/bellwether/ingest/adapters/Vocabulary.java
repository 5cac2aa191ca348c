package io.bellwether.ingest.adapters;

import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How one source's statuses and priorities map to Bellwether's categories: the source's exact values first (the
 * vendor's defaults, overridden per installation by {@code ingest.<source>.status-map}), then a reading of the
 * words every PSA uses ("Waiting on customer", "Resolved", "Priority 1 - Critical"). A value nothing explains maps
 * to UNKNOWN and is counted, so a missing mapping is visible rather than misfiled.
 */
public final class Vocabulary {
    private final Map<String, StatusCategory> statuses;
    private final Map<String, Priority> priorities;

    public Vocabulary(Map<String, StatusCategory> statuses, Map<String, Priority> priorities) {
        this.statuses = lowerKeys(statuses);
        this.priorities = lowerKeys(priorities);
    }

    public static Vocabulary empty() {
        return new Vocabulary(Map.of(), Map.of());
    }

    /** This vocabulary with {@code overrides} ({@code "Pending=WAITING_ON_CUSTOMER;Waiting Vendor=WAITING_ON_VENDOR"}) on top. */
    public Vocabulary withOverrides(String statusOverrides, String priorityOverrides) {
        Map<String, StatusCategory> s = new LinkedHashMap<>(statuses);
        parse(statusOverrides, "status").forEach((k, v) -> s.put(k, StatusCategory.valueOf(v)));
        Map<String, Priority> p = new LinkedHashMap<>(priorities);
        parse(priorityOverrides, "priority").forEach((k, v) -> p.put(k, Priority.valueOf(v)));
        return new Vocabulary(s, p);
    }

    public StatusCategory status(String value) {
        if (value == null) {
            return StatusCategory.UNKNOWN;
        }
        StatusCategory exact = statuses.get(value.trim().toLowerCase(Locale.ROOT));
        return exact != null ? exact : guessStatus(value);
    }

    public Priority priority(String value) {
        if (value == null) {
            return Priority.UNKNOWN;
        }
        Priority exact = priorities.get(value.trim().toLowerCase(Locale.ROOT));
        return exact != null ? exact : guessPriority(value);
    }

    /** Status words shared across PSAs. Order matters: "waiting on customer" must not read as plain "waiting". */
    static StatusCategory guessStatus(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        if (s.contains("cancel") || s.contains("withdrawn") || s.contains("duplicate") || s.contains("rejected")) {
            return StatusCategory.CANCELLED;
        }
        if (s.contains("closed")) {
            return StatusCategory.CLOSED;
        }
        if (s.contains("resolved") || s.contains("solved") || s.contains("complete") || s.equals("done") || s.contains("fixed")) {
            return StatusCategory.RESOLVED;
        }
        boolean waiting = s.contains("wait") || s.contains("pending") || s.contains("await") || s.contains("with user")
                || s.contains("with customer");
        if (waiting && (s.contains("customer") || s.contains("user") || s.contains("client") || s.contains("caller")
                || s.contains("requester") || s.contains("reply") || s.contains("approval") || s.contains("contact"))) {
            return StatusCategory.WAITING_ON_CUSTOMER;
        }
        if (s.contains("vendor") || s.contains("3rd party") || s.contains("third party") || s.contains("supplier") || s.contains("materials")
                || s.contains("parts")) {
            return StatusCategory.WAITING_ON_VENDOR;
        }
        if (waiting || s.contains("hold") || s.contains("paused") || s.contains("deferred")) {
            return StatusCategory.ON_HOLD;
        }
        if (s.equals("new") || s.startsWith("new ") || s.contains("to do") || s.equals("todo") || s.contains("unassigned") || s.contains("logged")) {
            return StatusCategory.NEW;
        }
        if (s.contains("progress") || s.contains("assigned") || s.contains("working") || s.contains("dispatched") || s.contains("scheduled")
                || s.contains("escalat") || s.contains("responded") || s.contains("investigat") || s.contains("active")) {
            return StatusCategory.IN_PROGRESS;
        }
        if (s.contains("open") || s.contains("reopen") || s.contains("customer updated") || s.contains("action required")) {
            return StatusCategory.OPEN;
        }
        return StatusCategory.UNKNOWN;
    }

    /** "1 - Critical", "Priority 2 - High", "P3", "Urgent", "Blocker", "Lowest"… */
    static Priority guessPriority(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).trim();
        String digits = s.replaceFirst("^(priority|prio|p)\\s*", "");
        if (!digits.isEmpty() && Character.isDigit(digits.charAt(0)) && (digits.length() == 1 || !Character.isDigit(digits.charAt(1)))) {
            return switch (digits.charAt(0)) {
                case '1' -> Priority.P1;
                case '2' -> Priority.P2;
                case '3' -> Priority.P3;
                case '4' -> Priority.P4;
                case '5' -> Priority.P5;
                default -> Priority.UNKNOWN;
            };
        }
        if (s.contains("critical") || s.contains("urgent") || s.contains("blocker") || s.contains("highest") || s.contains("emergency")) {
            return Priority.P1;
        }
        if (s.contains("high") || s.contains("major")) {
            return Priority.P2;
        }
        if (s.contains("medium") || s.contains("normal") || s.contains("moderate")) {
            return Priority.P3;
        }
        if (s.contains("lowest") || s.contains("trivial") || s.contains("planning")) {
            return Priority.P5;
        }
        if (s.contains("low") || s.contains("minor")) {
            return Priority.P4;
        }
        return Priority.UNKNOWN;
    }

    private static Map<String, String> parse(String spec, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("A " + what + " mapping needs value=CATEGORY pairs separated by ';', got '" + pair + "'");
            }
            String target = pair.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
            try {
                if (what.equals("status")) {
                    StatusCategory.valueOf(target);
                } else {
                    Priority.valueOf(target);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + target + "' is not a " + what + " category in '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), target);
        }
        return out;
    }

    private static <V> Map<String, V> lowerKeys(Map<String, V> in) {
        Map<String, V> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k.trim().toLowerCase(Locale.ROOT), v));
        return Map.copyOf(out);
    }
}
