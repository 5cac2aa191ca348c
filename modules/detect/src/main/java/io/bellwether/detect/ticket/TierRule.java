package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.TicketState;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.List;

/**
 * Moves between support levels ({@link TierMoves}). TIER_BACKWARD: the ticket was handed back down a level (L2 to L1,
 * a cold hand-back) and sits there, open. TIER_SKIP: its last move up passed a level that never worked it (L1 straight
 * to L3), and it is open. Each ends when the ticket moves again or is resolved.
 */
final class TierRule implements TicketRule {
    static final String BACKWARD = "tier-backward";
    static final String SKIP = "tier-skip";
    private final Rules.Tiers tiers;

    TierRule(Rules.Tiers tiers) {
        this.tiers = tiers;
    }

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        TicketState s = ticket.state();
        boolean moved = tiers.enabled() && ticket.isOpen() && s.getTierFrom() != null && s.getTier() != null;
        boolean back = moved && s.getTier() < s.getTierFrom();
        if (back || ticket.raised(BACKWARD)) {
            VerdictBuilder v = verdict(ticket, BACKWARD, SignalKind.TIER_BACKWARD);
            out.add(back ? v.active(Severity.WARNING, "Handed back from L" + s.getTierFrom() + " to L" + s.getTier() + ", a cold hand-back; "
                    + ticket.context()).build() : v.inactive(ended(ticket, "Now at L" + s.getTier())).build());
        }
        boolean skip = moved && s.getTierSkipped() != null;
        if (skip || ticket.raised(SKIP)) {
            VerdictBuilder v = verdict(ticket, SKIP, SignalKind.TIER_SKIP);
            out.add(skip ? v.active(Severity.WARNING, "Escalated from L" + s.getTierFrom() + " to L" + s.getTier() + " without work at L"
                    + s.getTierSkipped().replace(",", ", L") + "; " + ticket.context()).fact("skipped", s.getTierSkipped()).build()
                    : v.inactive(ended(ticket, "Moved on to L" + s.getTier())).build());
        }
    }

    private String ended(TicketView ticket, String moved) {
        return !tiers.enabled() ? "Rule disabled" : ticket.isOpen() ? moved : "Ticket done";
    }

    private VerdictBuilder verdict(TicketView ticket, String ruleId, SignalKind kind) {
        TicketState s = ticket.state();
        VerdictBuilder v = ticket.verdict(ruleId, tiers.version(), kind);
        if (s.getTierFrom() != null) {
            v.fact("from", "L" + s.getTierFrom());
        }
        if (s.getTier() != null) {
            v.fact("to", "L" + s.getTier());
        }
        return v;
    }

    /** Only events move a ticket between levels. */
    @Override
    public long nextChange(TicketView ticket, long at) {
        return Long.MAX_VALUE;
    }
}
