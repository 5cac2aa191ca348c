package io.bellwether.detect.ticket;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SecurityMatch;
import io.bellwether.detect.state.TicketState;
import io.bellwether.events.TicketEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for the configured security indicators in an event's fields and keeps, per indicator, the first match: the
 * indicator, the field and the configured term, never the text around it (a ticket's summary may hold a password or a
 * customer's name; the security topic must not). A term matches case-insensitively as a whole word or phrase, with
 * any run of spaces, '-' or '_' between its words ("MFA reset", "mfa-reset", "MFA  Reset").
 */
final class SecurityIndicators {
    private record Compiled(Rules.Indicator indicator, Pattern pattern) {
    }

    private final boolean enabled;
    private final List<Compiled> indicators = new ArrayList<>();

    SecurityIndicators(Rules.Security security) {
        this.enabled = security.enabled();
        for (Rules.Indicator indicator : security.indicators()) {
            StringBuilder alternatives = new StringBuilder();
            for (String term : indicator.terms()) {
                if (!alternatives.isEmpty()) {
                    alternatives.append('|');
                }
                alternatives.append('(');
                String[] words = term.split("[\\s_-]+");
                for (int w = 0; w < words.length; w++) {
                    alternatives.append(w == 0 ? "" : "[\\s_-]+").append(Pattern.quote(words[w]));
                }
                alternatives.append(')');
            }
            indicators.add(new Compiled(indicator, Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
        }
    }

    /** Adds to the ticket the indicators this event matches that it had not matched yet, and returns their names. */
    List<String> record(TicketEvent event, TicketState state, long at) {
        if (!enabled || indicators.isEmpty()) {
            return List.of();
        }
        List<String> added = new ArrayList<>(1);
        for (Compiled compiled : indicators) {
            if (matched(state, compiled.indicator().name())) {
                continue;
            }
            SecurityMatch match = find(event, compiled, at);
            if (match != null) {
                List<SecurityMatch> matches = new ArrayList<>(state.getSecurityMatches());
                matches.add(match);
                state.setSecurityMatches(matches);
                added.add(match.getIndicator());
            }
        }
        return added;
    }

    private static boolean matched(TicketState state, String indicator) {
        for (SecurityMatch match : state.getSecurityMatches()) {
            if (match.getIndicator().equals(indicator)) {
                return true;
            }
        }
        return false;
    }

    private static SecurityMatch find(TicketEvent event, Compiled compiled, long at) {
        for (String field : compiled.indicator().fields()) {
            String value = value(event, field);
            if (value == null || value.length() < 3) {
                continue;
            }
            Matcher m = compiled.pattern().matcher(value);
            if (m.find()) {
                for (int g = 1; g <= m.groupCount(); g++) {
                    if (m.group(g) != null) {
                        return new SecurityMatch(compiled.indicator().name(), field, compiled.indicator().terms().get(g - 1),
                                compiled.indicator().severity().name(), at);
                    }
                }
            }
        }
        return null;
    }

    private static String value(TicketEvent event, String field) {
        return switch (field) {
            case "category" -> event.getCategory();
            case "configurationItem" -> event.getConfigurationItem();
            case "vendor" -> event.getVendor();
            default -> field.startsWith("attributes.") && event.getAttributes() != null
                    ? event.getAttributes().get(field.substring("attributes.".length())) : null;
        };
    }
}
