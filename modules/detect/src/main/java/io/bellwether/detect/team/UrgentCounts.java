package io.bellwether.detect.team;

import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.UrgentTicket;

import java.util.HashMap;
import java.util.Map;

/**
 * How many of a team's open urgent tickets each technician holds, kept as the tickets change instead of counted
 * again at every evaluation: a busy client's team holds thousands of urgent tickets, and the overload rule is
 * evaluated with each of its facts. Derived from the team's state, so it is rebuilt whenever the stage holds a state
 * object it was not kept for (read back from the store, or reverted after a failure).
 */
final class UrgentCounts {
    private final Map<String, Index> byTeam = new HashMap<>();

    private static final class Index {
        final TeamState state;
        final Map<String, Integer> held = new HashMap<>();

        Index(TeamState state) {
            this.state = state;
            state.getUrgent().values().forEach(this::add);
        }

        void add(UrgentTicket urgent) {
            if (urgent != null && urgent.getAssignee() != null) {
                held.merge(urgent.getAssignee(), 1, Integer::sum);
            }
        }

        void remove(UrgentTicket urgent) {
            if (urgent != null && urgent.getAssignee() != null) {
                held.computeIfPresent(urgent.getAssignee(), (who, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** Open urgent tickets per technician (read only). */
    Map<String, Integer> held(String team, TeamState state) {
        return index(team, state).held;
    }

    /** Puts (or replaces) a ticket among the team's urgent work. */
    void put(String team, TeamState state, String ticket, UrgentTicket urgent) {
        Index index = index(team, state);
        index.remove(state.getUrgent().put(ticket, urgent));
        index.add(urgent);
    }

    /** Takes a ticket out of the team's urgent work. */
    void remove(String team, TeamState state, String ticket) {
        index(team, state).remove(state.getUrgent().remove(ticket));
    }

    /** The team's state is gone. */
    void forget(String team) {
        byTeam.remove(team);
    }

    private Index index(String team, TeamState state) {
        Index index = byTeam.get(team);
        if (index == null || index.state != state) {
            index = new Index(state);
            byTeam.put(team, index);
        }
        return index;
    }
}
