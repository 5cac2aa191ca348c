package io.bellwether.detect.rules;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in rules: {@code 30m}, {@code 4h}, {@code 1h30m}, {@code 7d}, {@code 2w}, or ISO-8601 {@code PT30M}. */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private DurationText() {
    }

    /** Parses the text, or returns null when it is not a duration. */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
            end = m.end();
        }
        return end == s.length() && end > 0 ? total : null;
    }

    /** The shortest human form: {@code 1h30m}, {@code 7d}, {@code 45s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            out.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            out.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || out.length() == 0) {
            out.append(d.toSecondsPart()).append('s');
        }
        return out.toString();
    }
}
