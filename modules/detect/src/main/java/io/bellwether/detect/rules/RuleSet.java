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
        NearMissRate nearMissRate,
        OwnerChurn ownerChurn,
        NoAccountOwner noAccountOwner,
        Escalation escalation,
        AccountRisk accountRisk,
        TicketAlert ticketAlert) {

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

    /**
     * @param count            what bounces count: {@code team}, {@code person}, or both
     * @param longerCycles     whether a return through others (A, B, C, A) counts, or only A, B, A
     * @param maxReassignments person-to-person handoffs that raise on their own; 0: never
     */
    public record PingPong(boolean enabled, int version, int maxReassignments, int bounces, Duration settleAfter, Set<String> count,
                           boolean longerCycles) {
    }

    public record RepeatFriction(boolean enabled, int version, int tickets, Duration window, int followUps,
                                 Duration followUpWindow) {
    }

    public record ReopenRate(boolean enabled, int version, Duration window, Duration baseline, double factor,
                             double minRate, int minResolved, int minReopens) {
    }

    /**
     * Resolutions within SLA but past {@code nearMissAt} of it, as a share of the account's resolutions in the window,
     * against the account's own share over the baseline before it.
     */
    /** @param teams whether each team is also judged by its own norm (the technician stage; the built-in rules' values) */
    public record NearMissRate(boolean enabled, int version, double nearMissAt, Duration window, Duration baseline, double factor,
                               double minRate, int minResolved, int minNearMisses, boolean teams) {
    }

    public record OwnerChurn(boolean enabled, int version, Duration window, int minTickets, double handoffsPerTicket,
                             int minTechnicians) {
    }

    public record NoAccountOwner(boolean enabled, int version, Severity minSeverity, Duration recheck) {
    }

    /**
     * The consolidated ticket alert.
     *
     * @param raiseOn      the fine-grained kinds whose active verdict raises the alert; the others only add evidence
     * @param likelyToMiss per priority, how long after opening a still-open ticket is likely to miss (wall time); a
     *                     priority without an entry never raises on age alone
     * @param basis        where each threshold came from, quoted in the reason; keyed {@code P3} or {@code P3 MONDAY}
     */
    public record TicketAlert(boolean enabled, int version, Set<SignalKind> raiseOn, Map<Priority, AgeLimit> likelyToMiss,
                              Map<String, String> basis) {

        /** The sentence behind the threshold of a ticket of this priority opened on this day, or null. */
        public String basisFor(Priority priority, java.time.DayOfWeek openedOn) {
            String byDay = basis.get(priority + " " + openedOn);
            return byDay != null ? byDay : basis.get(priority.name());
        }
    }

    /**
     * How long a ticket may stay open, by the weekday it was opened on (in its calendar's zone): SLAs counted in working
     * days give a ticket opened before a weekend more wall time.
     *
     * @param fallback for the days without their own limit; null: those days never raise on age
     */
    public record AgeLimit(Duration fallback, Map<java.time.DayOfWeek, Duration> byOpeningDay) {
        public Duration forDay(java.time.DayOfWeek day) {
            return byOpeningDay.getOrDefault(day, fallback);
        }
    }

    public record Escalation(Priority topPriority, Set<String> statuses, Duration lookBack) {
    }

    public record AccountRisk(Map<SignalKind, Double> weights, Map<Severity, Double> severityFactor,
                              Map<String, Double> bands) {
    }
}
