package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.SlaClock;
import io.bellwether.events.ClockState;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.List;
import java.util.Locale;

/**
 * SLA risk on one clock (response or resolution), in business time. SLA_RISK rises at the first warning
 * fraction (INFO at 50 %, WARNING at 75 %, ERROR at 90 % by default) and is superseded at 100 % by SLA_BREACH
 * (CRITICAL). Both resolve when the clock reaches its goal; while the ticket waits on the customer or a vendor
 * the clock pauses and nothing advances.
 */
public final class SlaRule implements TicketRule {
    private static final Severity[] STAGES = {Severity.INFO, Severity.WARNING, Severity.ERROR};

    private final String clockName;
    private final String riskRuleId;
    private final String breachRuleId;

    private SlaRule(String clockName) {
        this.clockName = clockName;
        this.riskRuleId = "sla-" + clockName + "-risk";
        this.breachRuleId = "sla-" + clockName + "-breach";
    }

    public static SlaRule response() {
        return new SlaRule("response");
    }

    public static SlaRule resolution() {
        return new SlaRule("resolution");
    }

    private SlaClock clock(TicketView ticket) {
        return clockName.equals("response") ? ticket.state().getResponseClock() : ticket.state().getResolutionClock();
    }

    private long target(TicketView ticket) {
        RuleSet.Sla sla = ticket.settings().sla();
        return (clockName.equals("response") ? sla.response() : sla.resolution()).get(ticket.priority()).toMillis();
    }

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        RuleSet.Sla sla = ticket.settings().sla();
        SlaClock clock = clock(ticket);
        long target = target(ticket);
        long elapsed = SlaClocks.elapsedAt(clock, at, ticket.calendar());
        double used = (double) elapsed / target;
        boolean counting = sla.enabled() && !SlaClocks.isStopped(clock);
        boolean holds = counting && (used >= 1.0 || stage(sla.warnAt(), used) >= 0);
        if (!holds && !ticket.raised(riskRuleId) && !ticket.raised(breachRuleId)) {
            // Under the first warning, stopped or disabled, with nothing raised: no verdict would change anything.
            return;
        }
        ClockState evidence = SlaClocks.evidence(clockName, clock, at, target, ticket.calendar());
        VerdictBuilder risk = ticket.verdict(riskRuleId, sla.version(), SignalKind.SLA_RISK).clock(evidence);
        VerdictBuilder breach = ticket.verdict(breachRuleId, sla.version(), SignalKind.SLA_BREACH).clock(evidence);
        for (VerdictBuilder v : List.of(risk, breach)) {
            v.threshold("target", TicketView.human(target)).threshold("warnAt", sla.warnAt()).threshold("calendar", ticket.calendar().id())
                    .fact("clock", clockName);
        }
        String label = clockName.substring(0, 1).toUpperCase(Locale.ROOT) + clockName.substring(1) + " SLA";
        if (!sla.enabled()) {
            out.add(risk.inactive("Rule disabled").build());
            out.add(breach.inactive("Rule disabled").build());
            return;
        }
        if (SlaClocks.isStopped(clock)) {
            String done = clockName.equals("response") ? "Responded" : "Resolved";
            out.add(risk.inactive(done + " with " + percent(used) + " of the " + label + " used").build());
            out.add(breach.inactive(done + " " + TicketView.human(Math.max(0, elapsed - target)) + " after the " + label + " target").build());
            return;
        }
        if (used >= 1.0) {
            out.add(risk.inactive("Superseded by the " + label + " breach").build());
            out.add(breach.fact("stage", "100%").active(Severity.CRITICAL, label + " breached: " + TicketView.human(elapsed) + " of "
                    + TicketView.human(target) + " business time used" + pausedNote(clock) + ", " + ticket.context()).build());
            return;
        }
        out.add(breach.inactive(label + " within target").build());
        int stage = stage(sla.warnAt(), used);
        if (stage < 0) {
            out.add(risk.inactive(label + " at " + percent(used)).build());
            return;
        }
        out.add(risk.fact("stage", percent(sla.warnAt().get(stage))).active(severityFor(sla.warnAt().size(), stage), label + " "
                + percent(used) + " used (" + TicketView.human(elapsed) + " of " + TicketView.human(target) + " business time)"
                + pausedNote(clock) + ", " + ticket.context()).build());
    }

    @Override
    public long nextChange(TicketView ticket, long at) {
        RuleSet.Sla sla = ticket.settings().sla();
        SlaClock clock = clock(ticket);
        if (!sla.enabled() || !SlaClocks.isRunning(clock)) {
            return Long.MAX_VALUE;
        }
        long target = target(ticket);
        long next = Long.MAX_VALUE;
        for (double fraction : sla.warnAt()) {
            next = earliestAfter(next, SlaClocks.reachesAt(clock, (long) Math.ceil(fraction * target), ticket.calendar()), at);
        }
        return earliestAfter(next, SlaClocks.reachesAt(clock, target, ticket.calendar()), at);
    }

    private static long earliestAfter(long current, Long candidate, long at) {
        return candidate != null && candidate > at && candidate < current ? candidate : current;
    }

    /** Index of the highest warning fraction reached, or -1. */
    private static int stage(List<Double> warnAt, double used) {
        int stage = -1;
        for (int i = 0; i < warnAt.size(); i++) {
            if (used >= warnAt.get(i)) {
                stage = i;
            }
        }
        return stage;
    }

    /** The highest warning is always ERROR; fewer fractions drop the lower severities. */
    private static Severity severityFor(int fractions, int stage) {
        return STAGES[STAGES.length - fractions + stage];
    }

    private static String pausedNote(SlaClock clock) {
        int pauses = clock.getPauses().size();
        return pauses == 0 ? "" : ", " + pauses + (pauses == 1 ? " pause" : " pauses");
    }

    private static String percent(double fraction) {
        return Math.round(fraction * 100) + "%";
    }
}
