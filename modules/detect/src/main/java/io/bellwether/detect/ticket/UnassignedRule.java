package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.time.Instant;
import java.util.List;

/**
 * A ticket nobody owns: open, with no assignee, for longer than the priority's threshold in business time.
 * WARNING at the threshold, ERROR at twice it; resolved by an assignment or by the ticket closing.
 */
public final class UnassignedRule implements TicketRule {
    public static final String RULE_ID = "unassigned";

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        var settings = ticket.settings().unassigned();
        Long since = ticket.state().getUnassignedSince();
        if ((!settings.enabled() || !ticket.isOpen() || since == null) && !ticket.raised(RULE_ID)) {
            return; // nothing holds and nothing is raised: no verdict to build (most tickets, most of the time)
        }
        VerdictBuilder verdict = ticket.verdict(RULE_ID, settings.version(), SignalKind.UNASSIGNED);
        long threshold = settings.threshold().get(ticket.priority()).toMillis();
        verdict.threshold("threshold", DurationText.format(settings.threshold().get(ticket.priority())))
                .threshold("calendar", ticket.calendar().id());
        if (!settings.enabled()) {
            out.add(verdict.inactive("Rule disabled").build());
            return;
        }
        if (!ticket.isOpen()) {
            out.add(verdict.inactive("Ticket " + ticket.state().getStatusCategory().toLowerCase() + " before anyone was assigned").build());
            return;
        }
        if (since == null) {
            out.add(verdict.inactive("Assigned to " + ticket.state().getAssignee()).fact("assignee", ticket.state().getAssignee()).build());
            return;
        }
        long unassignedFor = ticket.calendar().between(since, at);
        if (unassignedFor < threshold) {
            out.add(verdict.inactive("Unassigned for less than the threshold").build());
            return;
        }
        Severity severity = unassignedFor >= 2 * threshold ? Severity.ERROR : Severity.WARNING;
        verdict.fact("unassignedSince", Instant.ofEpochMilli(since)).fact("team", ticket.state().getTeam())
                .fact("status", ticket.state().getStatus());
        out.add(verdict.active(severity, "Unassigned for " + TicketView.human(unassignedFor) + " of business time (threshold "
                + TicketView.human(threshold) + "), " + ticket.context()).build());
    }

    @Override
    public long nextChange(TicketView ticket, long at) {
        var settings = ticket.settings().unassigned();
        Long since = ticket.state().getUnassignedSince();
        if (!settings.enabled() || since == null || !ticket.isOpen()) {
            return Long.MAX_VALUE;
        }
        long threshold = settings.threshold().get(ticket.priority()).toMillis();
        for (long step : new long[] {threshold, 2 * threshold}) {
            long due = ticket.calendar().plus(since, step);
            if (due > at) {
                return due;
            }
        }
        return Long.MAX_VALUE;
    }
}
