package io.bellwether.detect.ticket;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketState;
import io.bellwether.events.ActorType;
import io.bellwether.events.TicketEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a ticket sits among the support levels, and how it moved. Its level is the event's tier attribute when the
 * event carries one, else its team's level in the rules, else the level it had. An agent's event (not the customer's,
 * not the system's) is work at the level the ticket was at when it arrived, the event that moves it included: the
 * escalating level did that much. A move down is a hand-back; a move up that passes a level which never worked the
 * ticket skipped it. Late events (older than the ticket's last) move nothing.
 */
final class TierMoves {
    private TierMoves() {
    }

    static void track(TicketEvent event, TicketState state, TicketFact fact, Rules rules) {
        Rules.Tiers tiers = rules.tiers();
        if (!tiers.enabled()) {
            return;
        }
        Integer before = state.getTier();
        Integer now = levelOf(event, state, tiers);
        ActorType actor = event.getActorType();
        if (before != null && actor != ActorType.CUSTOMER && actor != ActorType.SYSTEM && before < 31) {
            state.setTiersWorked(state.getTiersWorked() | 1 << before);
        }
        if (now == null) {
            fact.setTier(before);
            return;
        }
        if (before != null && !now.equals(before)) {
            fact.setPreviousTier(before);
            state.setTierFrom(before);
            state.setTierSkipped(now > before ? skipped(state.getTiersWorked(), before, now) : null);
        }
        state.setTier(now);
        fact.setTier(now);
    }

    private static Integer levelOf(TicketEvent event, TicketState state, Rules.Tiers tiers) {
        if (tiers.attribute() != null && event.getAttributes() != null) {
            Integer level = Rules.Tiers.parse(event.getAttributes().get(tiers.attribute()));
            if (level != null) {
                return level;
            }
        }
        return state.getTeam() == null ? null : tiers.teams().get(state.getTeam());
    }

    /** The levels strictly between {@code from} and {@code to} that never worked the ticket, or null. */
    private static String skipped(int worked, int from, int to) {
        List<String> skipped = new ArrayList<>();
        for (int level = from + 1; level < to; level++) {
            if (level >= 31 || (worked & 1 << level) == 0) {
                skipped.add(String.valueOf(level));
            }
        }
        return skipped.isEmpty() ? null : String.join(",", skipped);
    }
}
