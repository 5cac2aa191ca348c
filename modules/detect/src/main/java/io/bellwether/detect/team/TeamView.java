package io.bellwether.detect.team;

import io.bellwether.detect.lifecycle.QuietCheck;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.TeamState;

import java.util.Map;

/**
 * What the technician rules read of one team.
 *
 * @param team  the team's name (or the placeholder for tickets without one)
 * @param state its urgent work, technicians and escalations
 * @param rules the rules in force
 * @param held  open urgent tickets per technician
 * @param pulledIn who was pulled into the team's escalations, kept between evaluations
 * @param quiet whether a verdict with this outcome would change nothing now (then it need not be built)
 */
record TeamView(String team, TeamState state, Rules rules, Map<String, Integer> held, PulledIn pulledIn, QuietCheck quiet) {
}
