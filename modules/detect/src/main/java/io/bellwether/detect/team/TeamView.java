package io.bellwether.detect.team;

import io.bellwether.detect.lifecycle.QuietCheck;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TeamState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the technician rules read of one team at one evaluation. The team's signal books do not change while its rules
 * are judged (verdicts are applied after the last rule), so the active ones are grouped by rule once per evaluation:
 * a busy team carries a book per technician per rule, and each rule would otherwise walk all of them.
 */
final class TeamView {
    private final String team;
    private final TeamState state;
    private final Rules rules;
    private final Map<String, Integer> held;
    private final PulledIn pulledIn;
    private final QuietCheck quiet;
    private Map<String, List<SignalBook>> activeByRule;

    /**
     * @param team     the team's name (or the placeholder for tickets without one)
     * @param state    its urgent work, technicians and escalations
     * @param rules    the rules in force
     * @param held     open urgent tickets per technician
     * @param pulledIn who was pulled into the team's escalations, kept between evaluations
     * @param quiet    whether a verdict with this outcome would change nothing now (then it need not be built)
     */
    TeamView(String team, TeamState state, Rules rules, Map<String, Integer> held, PulledIn pulledIn, QuietCheck quiet) {
        this.team = team;
        this.state = state;
        this.rules = rules;
        this.held = held;
        this.pulledIn = pulledIn;
        this.quiet = quiet;
    }

    String team() {
        return team;
    }

    TeamState state() {
        return state;
    }

    Rules rules() {
        return rules;
    }

    Map<String, Integer> held() {
        return held;
    }

    PulledIn pulledIn() {
        return pulledIn;
    }

    QuietCheck quiet() {
        return quiet;
    }

    /** The team's active signal books of rule {@code ruleId}, in the team's order. */
    List<SignalBook> active(String ruleId) {
        if (activeByRule == null) {
            activeByRule = new HashMap<>();
            for (SignalBook book : state.getSignals()) {
                if (book.getActive()) {
                    activeByRule.computeIfAbsent(book.getRuleId(), r -> new ArrayList<>(4)).add(book);
                }
            }
        }
        return activeByRule.getOrDefault(ruleId, List.of());
    }
}
