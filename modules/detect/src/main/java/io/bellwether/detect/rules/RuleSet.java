package io.bellwether.detect.rules;

import io.bellwether.events.Priority;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.StatusCategory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective settings of every per-ticket and per-account rule for one account and category: the
 * built-in defaults, overlaid by the rules file's defaults, its category section, then its account section.
 */
public record RuleSet(
        String calendar,
        Map<Priority, String> calendarByPriority,
        Unassigned unassigned,
        Sla sla,
        Aging aging,
        ReopenLoop reopenLoop,
        PingPong pingPong,
        RepeatFriction repeatFriction,
        ReopenRate reopenRate,
        OwnerChurn ownerChurn,
        NoAccountOwner noAccountOwner,
        Escalation escalation,
        AccountRisk accountRisk) {

    /** The calendar id a ticket of this priority is measured in. */
    public String calendarFor(Priority priority) {
        return calendarByPriority.getOrDefault(priority, calendar);
    }

    public record Unassigned(boolean enabled, int version, Map<Priority, Duration> threshold) {
    }

    public enum ReopenPolicy { RESUME, RESTART }

    public record Sla(boolean enabled, int version, Set<StatusCategory> pauseOn, ReopenPolicy onReopen,
                      List<Double> warnAt, Map<Priority, Duration> response, Map<Priority, Duration> resolution) {
    }

    public record Aging(boolean enabled, int version, Map<Priority, Duration> noActivity, int openTooLongDays,
                        boolean unknownActorIsAgent) {
    }

    public record ReopenLoop(boolean enabled, int version, int reopens, Duration quietPeriod) {
    }

    public record PingPong(boolean enabled, int version, int maxReassignments, int bounces, Duration settleAfter) {
    }

    public record RepeatFriction(boolean enabled, int version, int tickets, Duration window, int followUps,
                                 Duration followUpWindow) {
    }

    public record ReopenRate(boolean enabled, int version, Duration window, Duration baseline, double factor,
                             double minRate, int minResolved, int minReopens) {
    }

    public record OwnerChurn(boolean enabled, int version, Duration window, int minTickets, double handoffsPerTicket,
                             int minTechnicians) {
    }

    public record NoAccountOwner(boolean enabled, int version, Severity minSeverity, Duration recheck) {
    }

    public record Escalation(Priority topPriority, Set<String> statuses, Duration lookBack) {
    }

    public record AccountRisk(Map<SignalKind, Double> weights, Map<Severity, Double> severityFactor,
                              Map<String, Double> bands) {
    }
}
