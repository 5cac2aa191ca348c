package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.PauseSpan;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.StatusCategory;

import java.time.Instant;
import java.util.List;

/**
 * Aging, two ways. AGING_NO_ACTIVITY: an open ticket not waiting on anyone has seen no agent activity for the
 * priority's threshold in business time (ERROR at twice it). AGING_OPEN_TOO_LONG: a ticket still open at the
 * end of the Nth working day after it was opened, carried over (ERROR at 2N days).
 */
public final class AgingRule implements TicketRule {
    public static final String NO_ACTIVITY = "aging-no-activity";
    public static final String OPEN_TOO_LONG = "aging-open-too-long";

    @Override
    public void evaluate(TicketView ticket, long at, List<Verdict> out) {
        RuleSet.Aging aging = ticket.settings().aging();
        if (!mayHold(ticket, aging, at) && !ticket.raised(NO_ACTIVITY) && !ticket.raised(OPEN_TOO_LONG)) {
            // Neither condition can hold and nothing is raised: no verdict would change anything.
            return;
        }
        VerdictBuilder idle = ticket.verdict(NO_ACTIVITY, aging.version(), SignalKind.AGING_NO_ACTIVITY);
        VerdictBuilder old = ticket.verdict(OPEN_TOO_LONG, aging.version(), SignalKind.AGING_OPEN_TOO_LONG);
        long threshold = aging.noActivity().get(ticket.priority()).toMillis();
        idle.threshold("noActivity", TicketView.human(threshold)).threshold("calendar", ticket.calendar().id());
        old.threshold("openTooLong", aging.openTooLongDays() + " working days").threshold("calendar", ticket.calendar().id());
        if (!aging.enabled() || !ticket.isOpen()) {
            String why = aging.enabled() ? "Ticket " + ticket.state().getStatusCategory().toLowerCase() : "Rule disabled";
            out.add(idle.inactive(why).build());
            out.add(old.inactive(why).build());
            return;
        }
        if (isWaiting(ticket)) {
            out.add(idle.inactive("Waiting on " + waitingOn(ticket)).build());
        } else {
            long anchor = activityAnchor(ticket);
            long quiet = ticket.calendar().between(anchor, at);
            if (quiet >= threshold) {
                idle.fact("lastActivityAt", Instant.ofEpochMilli(ticket.state().getLastActivityAt())).fact("status", ticket.state().getStatus());
                out.add(idle.active(quiet >= 2 * threshold ? Severity.ERROR : Severity.WARNING, "No agent activity for "
                        + TicketView.human(quiet) + " of business time (threshold " + TicketView.human(threshold) + "), " + ticket.context()).build());
            } else {
                out.add(idle.inactive("Agent activity within the threshold").build());
            }
        }
        long openedAt = ticket.state().getOpenedAt();
        long carriedOver = ticket.calendar().endOfWorkingDaysAfter(openedAt, aging.openTooLongDays());
        if (at >= carriedOver) {
            long doubled = ticket.calendar().endOfWorkingDaysAfter(openedAt, 2 * aging.openTooLongDays());
            old.fact("openedAt", Instant.ofEpochMilli(openedAt));
            out.add(old.active(at >= doubled ? Severity.ERROR : Severity.WARNING, "Open for more than " + aging.openTooLongDays()
                    + " working days (since " + Instant.ofEpochMilli(openedAt).atZone(ticket.calendar().zone()).toLocalDate() + "), "
                    + ticket.context()).build());
        } else {
            out.add(old.inactive("Open for fewer than " + aging.openTooLongDays() + " working days").build());
        }
    }

    /**
     * Whether either condition could hold at {@code at}: open, and quiet past the threshold or past the carried-over
     * day. The same tests the verdicts make, without building them.
     */
    private static boolean mayHold(TicketView ticket, RuleSet.Aging aging, long at) {
        if (!aging.enabled() || !ticket.isOpen()) {
            return false;
        }
        if (at >= ticket.calendar().endOfWorkingDaysAfter(ticket.state().getOpenedAt(), aging.openTooLongDays())) {
            return true;
        }
        return !isWaiting(ticket)
                && ticket.calendar().between(activityAnchor(ticket), at) >= aging.noActivity().get(ticket.priority()).toMillis();
    }

    @Override
    public long nextChange(TicketView ticket, long at) {
        RuleSet.Aging aging = ticket.settings().aging();
        if (!aging.enabled() || !ticket.isOpen()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        if (!isWaiting(ticket)) {
            long threshold = aging.noActivity().get(ticket.priority()).toMillis();
            long anchor = activityAnchor(ticket);
            for (long step : new long[] {threshold, 2 * threshold}) {
                long due = ticket.calendar().plus(anchor, step);
                if (due > at) {
                    next = Math.min(next, due);
                    break;
                }
            }
        }
        long openedAt = ticket.state().getOpenedAt();
        for (int days : new int[] {aging.openTooLongDays(), 2 * aging.openTooLongDays()}) {
            long due = ticket.calendar().endOfWorkingDaysAfter(openedAt, days);
            if (due > at) {
                return Math.min(next, due);
            }
        }
        return next;
    }

    private static boolean isWaiting(TicketView ticket) {
        return ticket.settings().sla().pauseOn().contains(StatusCategory.valueOf(ticket.state().getStatusCategory()));
    }

    private static String waitingOn(TicketView ticket) {
        return ticket.state().getStatusCategory().replace("WAITING_ON_", "").toLowerCase();
    }

    /** Quiet time counts from the last activity, or from the end of the last wait when that is later. */
    private static long activityAnchor(TicketView ticket) {
        long anchor = ticket.state().getLastActivityAt();
        List<PauseSpan> pauses = ticket.state().getResolutionClock().getPauses();
        if (!pauses.isEmpty() && pauses.get(pauses.size() - 1).getTo() != null) {
            anchor = Math.max(anchor, pauses.get(pauses.size() - 1).getTo());
        }
        return anchor;
    }
}
