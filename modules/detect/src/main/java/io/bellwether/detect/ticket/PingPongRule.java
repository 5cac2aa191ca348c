package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.OwnerStep;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reassignment ping-pong: a ticket handed back to an owner it already had (A to B back to A, between people or
 * teams), or handed from person to person too often. WARNING; ERROR at twice either limit. Settled once
 * ownership has not changed for the settle period, or the ticket is done.
 */
public final class PingPongRule implements TicketRule {
    public static final String RULE_ID = "ping-pong";

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        RuleSet.PingPong rule = ticket.settings().pingPong();
        int handoffs = ticket.state().getReassignmentCount();
        // A hand-back that moves person and team at once is one bounce, not two.
        int bounces = Math.max(bounces(ticket.state().getOwners(), "person"), bounces(ticket.state().getOwners(), "team"));
        VerdictBuilder verdict = new VerdictBuilder(ticket, RULE_ID, rule.version(), SignalKind.PING_PONG)
                .threshold("maxReassignments", rule.maxReassignments()).threshold("bounces", rule.bounces())
                .threshold("settleAfter", TicketView.human(rule.settleAfter().toMillis()))
                .fact("reassignments", handoffs).fact("bounces", bounces)
                .fact("people", chain(ticket.state().getOwners(), "person")).fact("teams", chain(ticket.state().getOwners(), "team"));
        boolean tooMany = handoffs >= rule.maxReassignments();
        boolean bounced = bounces >= rule.bounces();
        if (!rule.enabled() || !(tooMany || bounced)) {
            out.add(verdict.inactive(rule.enabled() ? "Ownership stable" : "Rule disabled").build());
            return;
        }
        if (!ticket.isOpen()) {
            out.add(verdict.inactive("Ticket " + ticket.state().getStatusCategory().toLowerCase()).build());
            return;
        }
        Long lastChange = ticket.state().getLastOwnerChangeAt();
        if (lastChange != null && at - lastChange >= rule.settleAfter().toMillis()) {
            out.add(verdict.inactive("Settled with " + ownerOf(ticket) + " for " + TicketView.human(at - lastChange)).build());
            return;
        }
        boolean severe = handoffs >= 2 * rule.maxReassignments() || bounces >= 2 * rule.bounces();
        String what = bounced
                ? "Bounced back " + bounces + (bounces == 1 ? " time" : " times") + " (" + describe(ticket) + ")"
                : "Reassigned " + handoffs + " times (" + chain(ticket.state().getOwners(), "person") + ")";
        out.add(verdict.active(severe ? Severity.ERROR : Severity.WARNING, what + ", " + ticket.context()).build());
    }

    @Override
    public long nextChange(TicketView ticket, long at) {
        Long lastChange = ticket.state().getLastOwnerChangeAt();
        if (!ticket.settings().pingPong().enabled() || lastChange == null || !ticket.isOpen()) {
            return Long.MAX_VALUE;
        }
        long settled = lastChange + ticket.settings().pingPong().settleAfter().toMillis();
        return settled > at ? settled : Long.MAX_VALUE;
    }

    /** Returns to an earlier owner that is not the one just left: A, B, A counts one. */
    static int bounces(List<OwnerStep> steps, String level) {
        List<String> owners = owners(steps, level);
        int bounces = 0;
        for (int i = 2; i < owners.size(); i++) {
            String current = owners.get(i);
            if (owners.subList(0, i - 1).contains(current) && !Objects.equals(owners.get(i - 1), current)) {
                bounces++;
            }
        }
        return bounces;
    }

    private static List<String> owners(List<OwnerStep> steps, String level) {
        List<String> owners = new ArrayList<>();
        for (OwnerStep step : steps) {
            if (step.getLevel().equals(level) && step.getOwner() != null
                    && (owners.isEmpty() || !owners.get(owners.size() - 1).equals(step.getOwner()))) {
                owners.add(step.getOwner());
            }
        }
        return owners;
    }

    private static String chain(List<OwnerStep> steps, String level) {
        List<String> owners = owners(steps, level);
        return owners.isEmpty() ? null : String.join(" > ", owners);
    }

    private static String describe(TicketView ticket) {
        int people = bounces(ticket.state().getOwners(), "person");
        String level = people > 0 ? "person" : "team";
        return chain(ticket.state().getOwners(), level);
    }

    private static String ownerOf(TicketView ticket) {
        return ticket.state().getAssignee() != null ? ticket.state().getAssignee()
                : ticket.state().getTeam() != null ? ticket.state().getTeam() : "nobody";
    }
}
