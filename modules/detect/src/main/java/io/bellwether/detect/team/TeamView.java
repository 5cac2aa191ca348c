package io.bellwether.detect.team;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.TeamState;

/**
 * What the technician rules read of one team.
 *
 * @param team  the team's name (or the placeholder for tickets without one)
 * @param state its urgent work, technicians and escalations
 * @param rules the rules in force
 */
record TeamView(String team, TeamState state, Rules rules) {
}
