package io.bellwether.detect.lifecycle;

import io.bellwether.events.ClockState;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one rule concluded about one subject at one moment: whether its condition holds, how bad it is and
 * why. The lifecycle turns a sequence of verdicts into RAISED / UPDATED / RESOLVED transitions.
 *
 * @param inhibitedBy when not null, the condition holds but is explained by something bigger (a surge) and
 *                    must not be announced
 */
public record Verdict(String dedupKey, String ruleId, int ruleVersion, SignalKind kind, Subject subject, String accountId,
                      boolean active, Severity severity, String reason, Map<String, String> labels,
                      List<String> eventIds, Map<String, String> facts, Map<String, String> thresholds, ClockState clock,
                      List<String> relatedTickets, List<String> relatedAccounts, String inhibitedBy) {

    /**
     * Read-only views, not copies: a verdict lives for one evaluation and most are thrown away unannounced (the
     * condition does not hold and never did), so copying every map and list of every verdict was a large part of the
     * cost of an evaluation. Whoever builds a verdict hands its collections over ({@link VerdictBuilder} builds fresh ones).
     */
    public Verdict {
        labels = Collections.unmodifiableMap(labels);
        eventIds = Collections.unmodifiableList(eventIds);
        facts = Collections.unmodifiableMap(facts);
        thresholds = Collections.unmodifiableMap(thresholds);
        relatedTickets = Collections.unmodifiableList(relatedTickets);
        relatedAccounts = Collections.unmodifiableList(relatedAccounts);
    }

    private static final String[] SUBJECT_TYPES = subjectTypes();

    /** {@code <ruleId>/<subject type>/<subject id>}: stable per (rule, subject). */
    public static String dedupKey(String ruleId, Subject subject) {
        return ruleId + "/" + SUBJECT_TYPES[subject.getType().ordinal()] + "/" + subject.getId();
    }

    private static String[] subjectTypes() {
        SubjectType[] types = SubjectType.values();
        String[] names = new String[types.length];
        for (SubjectType type : types) {
            names[type.ordinal()] = type.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    public Verdict inhibited(String by) {
        return new Verdict(dedupKey, ruleId, ruleVersion, kind, subject, accountId, active, severity, reason, labels, eventIds,
                facts, thresholds, clock, relatedTickets, relatedAccounts, by);
    }
}
