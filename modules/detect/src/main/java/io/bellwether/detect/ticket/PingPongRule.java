package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.OwnerStep;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reassignment ping-pong: a ticket handed back to an owner it already had (A to B back to A, or through others when
 * longer cycles count), between the levels the rules count (teams by default: on real exports a person hand-back
 * inside one team is routine), or, when the rules say so, handed from person to person too often. WARNING; ERROR at
 * twice either limit. Settled once ownership has not changed for the settle period, or the ticket is done.
 */
public final class PingPongRule implements TicketRule {
    public static final String RULE_ID = "ping-pong";

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        RuleSet.PingPong rule = ticket.settings().pingPong();
        int handoffs = ticket.state().getReassignmentCount();
        // A hand-back that moves person and team at once is one bounce, not two.
        int bounces = 0;
        for (String level : rule.count()) {
            bounces = Math.max(bounces, bounces(ticket.state().getOwners(), level, rule.longerCycles()));
        }
        boolean tooMany = rule.maxReassignments() > 0 && handoffs >= rule.maxReassignments();
        boolean bounced = bounces >= rule.bounces();
        if ((!rule.enabled() || !(tooMany || bounced)) && !ticket.raised(RULE_ID)) {
            return; // nothing holds and nothing is raised: no verdict to build (most tickets, most of the time)
        }
        VerdictBuilder verdict = ticket.verdict(RULE_ID, rule.version(), SignalKind.PING_PONG)
                .threshold("maxReassignments", rule.maxReassignments()).threshold("bounces", rule.bounces())
                .threshold("settleAfter", TicketView.human(rule.settleAfter().toMillis()))
                .fact("reassignments", handoffs).fact("bounces", bounces)
                .fact("people", chain(ticket.state().getOwners(), "person")).fact("teams", chain(ticket.state().getOwners(), "team"));
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
        boolean severe = (tooMany && handoffs >= 2 * rule.maxReassignments()) || bounces >= 2 * rule.bounces();
        String what = bounced
                ? "Bounced back " + bounces + (bounces == 1 ? " time" : " times") + " (" + describe(ticket, rule) + ")"
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

    /**
     * Returns to an earlier owner that is not the one just left: A, B, A counts one; A, B, C, A counts one when longer
     * cycles count, none otherwise.
     */
    static int bounces(List<OwnerStep> steps, String level, boolean longerCycles) {
        List<String> owners = owners(steps, level);
        int bounces = 0;
        for (int i = 2; i < owners.size(); i++) {
            String current = owners.get(i);
            boolean back = longerCycles ? owners.subList(0, i - 1).contains(current) : owners.get(i - 2).equals(current);
            if (back && !Objects.equals(owners.get(i - 1), current)) {
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

    private static String describe(TicketView ticket, RuleSet.PingPong rule) {
        boolean people = rule.count().contains("person") && bounces(ticket.state().getOwners(), "person", rule.longerCycles()) > 0;
        return chain(ticket.state().getOwners(), people ? "person" : "team");
    }

    private static String ownerOf(TicketView ticket) {
        return ticket.state().getAssignee() != null ? ticket.state().getAssignee()
                : ticket.state().getTeam() != null ? ticket.state().getTeam() : "nobody";
    }
}
