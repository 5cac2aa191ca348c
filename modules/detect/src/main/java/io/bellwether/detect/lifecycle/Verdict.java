package io.bellwether.detect.lifecycle;

import io.bellwether.events.ClockState;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;

import java.util.List;
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

    public Verdict {
        labels = Map.copyOf(labels);
        eventIds = List.copyOf(eventIds);
        facts = Map.copyOf(facts);
        thresholds = Map.copyOf(thresholds);
        relatedTickets = List.copyOf(relatedTickets);
        relatedAccounts = List.copyOf(relatedAccounts);
    }

    /** {@code <ruleId>/<subject type>/<subject id>}: stable per (rule, subject). */
    public static String dedupKey(String ruleId, Subject subject) {
        return ruleId + "/" + subject.getType().name().toLowerCase() + "/" + subject.getId();
    }

    public Verdict inhibited(String by) {
        return new Verdict(dedupKey, ruleId, ruleVersion, kind, subject, accountId, active, severity, reason, labels, eventIds,
                facts, thresholds, clock, relatedTickets, relatedAccounts, by);
    }
}
