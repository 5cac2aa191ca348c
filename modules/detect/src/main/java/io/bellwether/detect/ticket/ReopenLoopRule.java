package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.List;

/**
 * A ticket that keeps coming back: reopened at least N times (WARNING; ERROR at N+1). Over when the ticket is
 * closed for good, or has stayed resolved for the quiet period.
 */
public final class ReopenLoopRule implements TicketRule {
    public static final String RULE_ID = "reopen-loop";

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        RuleSet.ReopenLoop rule = ticket.settings().reopenLoop();
        int reopens = ticket.state().getReopenCount();
        if ((!rule.enabled() || reopens < rule.reopens()) && !ticket.raised(RULE_ID)) {
            return; // nothing holds and nothing is raised: no verdict to build
        }
        VerdictBuilder verdict = ticket.verdict(RULE_ID, rule.version(), SignalKind.REOPEN_LOOP)
                .threshold("reopens", rule.reopens()).threshold("quietPeriod", TicketView.human(rule.quietPeriod().toMillis()))
                .fact("reopens", reopens);
        if (!rule.enabled() || reopens < rule.reopens()) {
            out.add(verdict.inactive(rule.enabled() ? "Reopened " + reopens + " times" : "Rule disabled").build());
            return;
        }
        if (Statuses.isFinal(ticket.state().getStatusCategory())) {
            out.add(verdict.inactive("Closed after " + reopens + " reopens").build());
            return;
        }
        Long resolvedAt = ticket.state().getResolvedAt();
        if (resolvedAt != null && at - resolvedAt >= rule.quietPeriod().toMillis()) {
            out.add(verdict.inactive("Stayed resolved for " + TicketView.human(at - resolvedAt)).build());
            return;
        }
        out.add(verdict.active(reopens > rule.reopens() ? Severity.ERROR : Severity.WARNING,
                "Reopened " + reopens + " times, " + ticket.context()).build());
    }

    @Override
    public long nextChange(TicketView ticket, long at) {
        RuleSet.ReopenLoop rule = ticket.settings().reopenLoop();
        Long resolvedAt = ticket.state().getResolvedAt();
        if (!rule.enabled() || ticket.state().getReopenCount() < rule.reopens() || resolvedAt == null) {
            return Long.MAX_VALUE;
        }
        long quietEnd = resolvedAt + rule.quietPeriod().toMillis();
        return quietEnd > at ? quietEnd : Long.MAX_VALUE;
    }
}
