package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * One alert per ticket at risk (TICKET_AT_RISK, dedup key {@code ticket-at-risk/ticket/<key>}), for the people who want
 * one page per ticket rather than every fine-grained signal. It is raised when the ticket has been open longer than its
 * priority's likely-to-miss threshold (learned by {@code bellwether calibrate}), or when a fine-grained signal of a
 * raising kind holds; once raised it stays while either still holds or any ticket signal does, and resolves when the
 * ticket is resolved or nothing is left. Age raises a ticket once: reopened after its alert resolved, it is raised again
 * only by a raising kind (a reopen loop, say), not by the age it was already alerted for. Severity is the highest contributing one (likely to miss: WARNING, ERROR past
 * twice the threshold), one step higher when three or more kinds contribute; every contributing signal is evidence.
 */
public final class TicketAlertRule {
    public static final String RULE_ID = "ticket-at-risk";
    private static final int ESCALATING_KINDS = 3;

    /**
     * The alert's verdict at {@code at}.
     *
     * @param judged the ticket rules' verdicts, surge inhibition applied: an inhibited one is no evidence
     * @param book   the alert's bookkeeping for this ticket, or null: whether it is raised now (evidence that cannot raise
     *               it can keep it) and whether it was raised before
     */
    public Verdict evaluate(TicketView ticket, List<Verdict> judged, SignalBook book, long at) {
        boolean raised = book != null && book.getActive();
        boolean alertedBefore = book != null && !book.getActive() && book.getIncarnation() > 0;
        RuleSet.TicketAlert settings = ticket.settings().ticketAlert();
        VerdictBuilder alert = ticket.verdict(RULE_ID, settings.version(), SignalKind.TICKET_AT_RISK);
        if (!settings.enabled()) {
            return alert.inactive("Rule disabled").build();
        }
        if (!ticket.isOpen()) {
            return alert.inactive("Ticket " + ticket.state().getStatusCategory().toLowerCase()).build();
        }
        List<Verdict> evidence = new ArrayList<>();
        boolean raising = false;
        for (Verdict v : judged) {
            if (v.active() && v.inhibitedBy() == null) {
                evidence.add(v);
                raising |= settings.raiseOn().contains(v.kind());
            }
        }
        Duration threshold = threshold(ticket, settings);
        long open = at - ticket.state().getOpenedAt();
        boolean likely = threshold != null && open >= threshold.toMillis() && !(alertedBefore && !raising);
        if (!likely && !raising && !(raised && !evidence.isEmpty())) {
            return alert.inactive(threshold == null ? "No raising evidence" : "Open " + TicketView.human(open) + ", under "
                    + TicketView.human(threshold.toMillis())).build();
        }
        evidence.sort(Comparator.comparing((Verdict v) -> v.severity().ordinal()).reversed().thenComparing(Verdict::ruleId));
        Severity severity = Severity.INFO;
        TreeSet<String> kinds = new TreeSet<>();
        StringBuilder reason = new StringBuilder("At risk: ");
        if (likely) {
            long t = threshold.toMillis();
            severity = t > 0 && open < 2 * t ? Severity.WARNING : Severity.ERROR;
            kinds.add("LIKELY_TO_MISS");
            reason.append("open ").append(TicketView.human(open));
            String basis = settings.basisFor(ticket.priority(), openedOn(ticket));
            reason.append(basis != null ? "; " + basis : " (likely to miss after " + TicketView.human(t) + ")");
            alert.fact("likelyToMissSince", Instant.ofEpochMilli(ticket.state().getOpenedAt() + t));
            alert.threshold("likelyToMiss", TicketView.human(t));
        }
        for (Verdict v : evidence) {
            kinds.add(v.kind().name());
            if (v.severity().ordinal() > severity.ordinal()) {
                severity = v.severity();
            }
            alert.fact("evidence." + v.ruleId(), v.severity().name());
        }
        if (kinds.size() >= ESCALATING_KINDS && severity != Severity.CRITICAL) {
            severity = Severity.values()[severity.ordinal() + 1];
        }
        if (!evidence.isEmpty()) {
            reason.append(likely ? "; " : "").append(evidence.get(0).reason());
            if (evidence.size() > 1) {
                reason.append("; also ").append(String.join(", ", evidence.subList(1, evidence.size()).stream()
                        .map(v -> v.kind().name()).distinct().toList()));
            }
        } else {
            reason.append(", ").append(ticket.context());
        }
        alert.fact("evidence", String.join(",", kinds));
        return alert.active(severity, reason.toString()).build();
    }

    /** This ticket's likely-to-miss threshold, by its priority and the day it was opened on; null: none. */
    private static Duration threshold(TicketView ticket, RuleSet.TicketAlert settings) {
        RuleSet.AgeLimit limit = settings.likelyToMiss().get(ticket.priority());
        return limit == null ? null : limit.forDay(openedOn(ticket));
    }

    private static java.time.DayOfWeek openedOn(TicketView ticket) {
        return Instant.ofEpochMilli(ticket.state().getOpenedAt()).atZone(ticket.calendar().zone()).getDayOfWeek();
    }

    /** The next moment the likely-to-miss condition or its escalation is reached, or Long.MAX_VALUE. */
    public long nextChange(TicketView ticket, long at) {
        RuleSet.TicketAlert settings = ticket.settings().ticketAlert();
        Duration threshold = threshold(ticket, settings);
        if (!settings.enabled() || threshold == null || !ticket.isOpen()) {
            return Long.MAX_VALUE;
        }
        long opened = ticket.state().getOpenedAt();
        for (long due : new long[] {opened + threshold.toMillis(), opened + 2 * threshold.toMillis()}) {
            if (due > at) {
                return due;
            }
        }
        return Long.MAX_VALUE;
    }
}
