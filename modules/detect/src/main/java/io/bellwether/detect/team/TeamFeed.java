package io.bellwether.detect.team;

import io.bellwether.detect.state.TicketFact;

import java.util.ArrayList;
import java.util.List;

/** Which teams hear about a ticket fact: its team now, and the team it just left. */
public final class TeamFeed {
    /** The key for tickets that belong to no team. */
    public static final String NO_TEAM = "(no team)";

    private TeamFeed() {
    }

    /**
     * Whether a fact changes anything the technician rules read: who holds the ticket, in which team, how urgent it
     * is, whether it is open, and a technician's work the sustained-load rule counts (their first on the ticket in a week,
     * or out of their hours). Other comments and status changes within open work do not, and are not sent.
     */
    public static boolean concerns(TicketFact fact) {
        return concernsTechnicianRules(fact) || fact.getWorkedBy() != null;
    }

    /** Whether a fact changes what the technician-overload, dependency-magnet and near-miss rules read. */
    public static boolean concernsTechnicianRules(TicketFact fact) {
        return fact.getFirstSighting() || fact.getOpened() || fact.getResolved() || fact.getReopened() || fact.getTeamChanged()
                || fact.getAssigneeChanged() || fact.getPreviousPriorityLevel() != null || fact.getEscalation() != null
                || fact.getEscalatedChanged() || fact.getPreviousTier() != null;
    }

    public static List<String> teams(TicketFact fact) {
        List<String> teams = new ArrayList<>(2);
        teams.add(TeamProcessor.teamOf(fact));
        if (fact.getTeamChanged()) {
            String previous = fact.getPreviousTeam() == null ? NO_TEAM : fact.getPreviousTeam();
            if (!teams.contains(previous)) {
                teams.add(previous);
            }
        }
        return teams;
    }
}
