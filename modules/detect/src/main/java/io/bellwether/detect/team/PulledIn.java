package io.bellwether.detect.team;

import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketNote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which technicians were pulled into a team's escalations within the magnet window, as of a moment, and when that
 * could next change. The dependency-magnet rule is judged with every fact of the team, and most facts add no
 * escalation, so the grouping is kept and used again while the team's escalation notes are the same ones and no note
 * has entered or left the window since: the same answer as grouping them again, without the work.
 */
final class PulledIn {
    /** One technician's escalations in the window, in the order noted. */
    static final class Technician {
        final List<TicketNote> notes = new ArrayList<>(4);
        final Set<String> accounts = new HashSet<>(8);
    }

    private final Map<String, Memo> byTeam = new HashMap<>();

    private record Memo(TeamState state, int size, TicketNote first, TicketNote last, long from, long until,
                        Map<String, Technician> byTechnician, long nextChange) {
        boolean holds(TeamState current, long at) {
            List<TicketNote> notes = current.getEscalations();
            return state == current && notes.size() == size && at >= from && at < until
                    && (size == 0 || notes.get(0) == first && notes.get(size - 1) == last);
        }
    }

    /** The team's technicians in the window ending at {@code at}, by name (read only). */
    Map<String, Technician> at(String team, TeamState state, long at, long window) {
        return memo(team, state, at, window).byTechnician;
    }

    /** When the first escalation of a technician in the window leaves it (Long.MAX_VALUE when none is in it). */
    long nextChange(String team, TeamState state, long at, long window) {
        return memo(team, state, at, window).nextChange;
    }

    private Memo memo(String team, TeamState state, long at, long window) {
        Memo memo = byTeam.get(team);
        if (memo != null && memo.holds(state, at)) {
            return memo;
        }
        memo = group(state, at, window);
        byTeam.put(team, memo);
        return memo;
    }

    private static Memo group(TeamState state, long at, long window) {
        Map<String, Technician> byTechnician = new HashMap<>();
        long next = Long.MAX_VALUE;
        // The grouping holds until a note in the window leaves it, or a later note enters it.
        long until = Long.MAX_VALUE;
        List<TicketNote> notes = state.getEscalations();
        for (TicketNote note : notes) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                Technician technician = byTechnician.get(note.getWho());
                if (technician == null) {
                    technician = new Technician();
                    byTechnician.put(note.getWho(), technician);
                    next = Math.min(next, note.getAt() + window);
                }
                technician.notes.add(note);
                if (note.getAccountId() != null) {
                    technician.accounts.add(note.getAccountId());
                }
                until = Math.min(until, note.getAt() + window);
            } else if (note.getAt() > at) {
                until = Math.min(until, note.getAt());
            }
        }
        int size = notes.size();
        return new Memo(state, size, size == 0 ? null : notes.get(0), size == 0 ? null : notes.get(size - 1), at, until, byTechnician, next);
    }
}
