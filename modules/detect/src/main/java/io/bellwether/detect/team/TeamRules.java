package io.bellwether.detect.team;

import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.account.Rates;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The technician rules of one team. TECHNICIAN_OVERLOAD changes only with the team's urgent work (facts);
 * DEPENDENCY_MAGNET also when an escalation leaves its window.
 */
final class TeamRules {
    static final Rule<TeamView> OVERLOAD = new Rule<>() {
        @Override
        public void evaluate(TeamView view, long at, List<Verdict> out) {
            overload(view, at, out);
        }

        @Override
        public long nextChange(TeamView view, long at) {
            return Long.MAX_VALUE;
        }
    };

    static final Rule<TeamView> MAGNETS = new Rule<>() {
        @Override
        public void evaluate(TeamView view, long at, List<Verdict> out) {
            magnets(view, at, out);
        }

        /** When the first escalation of a technician in the window leaves it. */
        @Override
        public long nextChange(TeamView view, long at) {
            return view.pulledIn().nextChange(view.team(), view.state(), at, view.rules().dependencyMagnet().window().toMillis());
        }
    };

    static final Rule<TeamView> NEAR_MISSES = new Rule<>() {
        @Override
        public void evaluate(TeamView view, long at, List<Verdict> out) {
            nearMisses(view, at, out);
        }

        /**
         * The window and the baseline move at each UTC midnight. While raised, every midnight (its figures change); otherwise
         * the first midnight at which the rate would clear the bar with no new resolution (the window dropping easy days,
         * the norm dropping old near-misses), so a quiet team is not woken daily and its technicians' signals keep their
         * own rhythm.
         */
        @Override
        public long nextChange(TeamView view, long at) {
            if (view.state().getDays().isEmpty()) {
                return Long.MAX_VALUE;
            }
            long midnight = (Math.floorDiv(at, DAY) + 1) * DAY;
            if (raised(view)) {
                return midnight;
            }
            RuleSet.NearMissRate rule = view.rules().defaults().nearMissRate();
            int nearMisses = 0;
            for (io.bellwether.detect.state.DayCount day : view.state().getDays()) {
                nearMisses += day.getNearMisses();
            }
            if (nearMisses < rule.minNearMisses()) {
                return Long.MAX_VALUE; // too few near-misses kept to ever clear the bar without new ones
            }
            long horizon = midnight + (rule.window().toDays() + rule.baseline().toDays()) * DAY;
            for (long m = midnight; m <= horizon; m += DAY) {
                if (holds(view, rule, Rates.of(view.state().getDays(), m, rule.window(), rule.baseline()))) {
                    return m;
                }
            }
            return Long.MAX_VALUE;
        }
    };

    /** In the order they are judged. */
    static final List<Rule<TeamView>> ALL = List.of(OVERLOAD, MAGNETS, NEAR_MISSES, SustainedLoad.RULE, TierIntake.RULE);
    private static final long DAY = 86_400_000L;

    private TeamRules() {
    }

    private static void overload(TeamView view, long at, List<Verdict> out) {
        String team = view.team();
        TeamState state = view.state();
        Rules.Overload rule = view.rules().overload();
        Map<String, Integer> counts = view.held();
        int total = state.getUrgent().size();
        int technicians = state.getTechnicians().size();
        Set<String> raised = activeSubjects(view, TeamProcessor.OVERLOAD);
        // Who gets a verdict: an overload that holds, or one raised that may end (in name order); and of those only the ones
        // whose verdict could change something: a busy team holds thousands of urgent tickets, listed only for those.
        List<String> candidates = new ArrayList<>(raised);
        counts.forEach((technician, held) -> {
            if (!raised.contains(technician) && overloaded(rule, held, total, technicians)) {
                candidates.add(technician);
            }
        });
        candidates.sort(null);
        Map<String, Map<String, String>> judged = new LinkedHashMap<>();
        for (String technician : candidates) {
            int held = counts.getOrDefault(technician, 0);
            boolean active = overloaded(rule, held, total, technicians);
            double share = total == 0 ? 0 : (double) held / total;
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("urgentHeld", String.valueOf(held));
            facts.put("teamUrgent", String.valueOf(total));
            facts.put("share", String.valueOf(Math.round(share * 100) / 100.0));
            facts.put("technicians", String.valueOf(technicians));
            if (!view.quiet().wouldStayQuiet(dedupKey(TeamProcessor.OVERLOAD, team, technician), active, severity(rule, held, share).name(), facts.hashCode())) {
                judged.put(technician, facts);
            }
        }
        if (judged.isEmpty()) {
            return;
        }
        Map<String, List<String>> tickets = new HashMap<>();
        judged.keySet().forEach(technician -> tickets.put(technician, new ArrayList<>(counts.getOrDefault(technician, 0))));
        state.getUrgent().forEach((ticket, urgent) -> {
            List<String> list = urgent.getAssignee() == null ? null : tickets.get(urgent.getAssignee());
            if (list != null) {
                list.add(ticket);
            }
        });
        judged.forEach((technician, facts) -> {
            List<String> held = tickets.get(technician);
            double share = total == 0 ? 0 : (double) held.size() / total;
            boolean active = overloaded(rule, held.size(), total, technicians);
            String reason = active
                    ? technician + " holds " + held.size() + " of team " + team + "'s " + total + " open urgent tickets ("
                    + Math.round(share * 100) + "%, " + technicians + " technicians on the team)"
                    : technician + " holds " + held.size() + " of " + total + " urgent tickets";
            out.add(verdict(TeamProcessor.OVERLOAD, rule.version(), SignalKind.TECHNICIAN_OVERLOAD, team, technician, active,
                    severity(rule, held.size(), share), reason, facts,
                    Map.of("share", String.valueOf(rule.share()), "minTickets", String.valueOf(rule.minTickets()),
                            "minTechnicians", String.valueOf(rule.minTechnicians()), "priorities", rule.priorities().toString()),
                    held, List.of()));
        });
    }

    private static Severity severity(Rules.Overload rule, int held, double share) {
        return share >= Math.min(1.0, rule.share() + 0.25) && held >= 2 * rule.minTickets() ? Severity.ERROR : Severity.WARNING;
    }

    private static boolean overloaded(Rules.Overload rule, int heldCount, int total, int technicians) {
        double share = total == 0 ? 0 : (double) heldCount / total;
        return rule.enabled() && heldCount >= rule.minTickets() && share >= rule.share() && technicians >= rule.minTechnicians();
    }

    private static void magnets(TeamView view, long at, List<Verdict> out) {
        String team = view.team();
        TeamState state = view.state();
        Rules.DependencyMagnet rule = view.rules().dependencyMagnet();
        Map<String, PulledIn.Technician> byTechnician = view.pulledIn().at(team, state, at, rule.window().toMillis());
        Set<String> raised = activeSubjects(view, TeamProcessor.MAGNET);
        Set<String> candidates = new TreeSet<>(raised);
        byTechnician.forEach((technician, pulled) -> {
            if (rule.enabled() && pulled.accounts.size() >= rule.accounts()) {
                candidates.add(technician);
            }
        });
        for (String technician : candidates) {
            PulledIn.Technician pulled = byTechnician.get(technician);
            List<TicketNote> notes = pulled == null ? List.of() : pulled.notes;
            int accountCount = pulled == null ? 0 : pulled.accounts.size();
            boolean active = rule.enabled() && accountCount >= rule.accounts();
            Severity severity = accountCount >= 2 * rule.accounts() ? Severity.ERROR : Severity.WARNING;
            Map<String, String> facts = Map.of("accounts", String.valueOf(accountCount), "escalations", String.valueOf(notes.size()));
            if (view.quiet().wouldStayQuiet(dedupKey(TeamProcessor.MAGNET, team, technician), active, severity.name(), facts.hashCode())) {
                continue;
            }
            Set<String> accounts = pulled == null ? new TreeSet<>() : new TreeSet<>(pulled.accounts);
            Set<String> tickets = new LinkedHashSet<>();
            for (TicketNote note : notes) {
                tickets.add(note.getTicketKey());
            }
            String reason = technician + " was pulled into escalations of " + accounts.size() + " accounts in "
                    + DurationText.format(rule.window()) + " (" + String.join(", ", accounts) + ")";
            out.add(verdict(TeamProcessor.MAGNET, rule.version(), SignalKind.DEPENDENCY_MAGNET, team, technician, active, severity, reason,
                    facts, Map.of("accounts", String.valueOf(rule.accounts()), "window", DurationText.format(rule.window())),
                    new ArrayList<>(tickets), new ArrayList<>(accounts)));
        }
    }

    /**
     * NEAR_MISS_RATE of a team: the same bar as an account's (default rules), against the team's own norm. Raised on the
     * team as the subject, so a manager sees the stress building in one team before its breaches do.
     */
    private static void nearMisses(TeamView view, long at, List<Verdict> out) {
        String team = view.team();
        RuleSet.NearMissRate rule = view.rules().defaults().nearMissRate();
        boolean enabled = rule.enabled() && rule.teams() && !TeamFeed.NO_TEAM.equals(team);
        String dedupKey = nearMissKey(team);
        Rates rates = Rates.of(view.state().getDays(), at, rule.window(), rule.baseline());
        boolean holds = holds(view, rule, rates);
        if (!holds && !raised(view)) {
            return;
        }
        Severity severity = rates.nearMissSeverity(rule);
        Map<String, String> facts = rates.nearMissFacts();
        if (view.quiet().wouldStayQuiet(dedupKey, holds, severity.name(), facts.hashCode())) {
            return;
        }
        String reason = !enabled ? "Rule disabled" : !holds ? rates.nearMissQuiet() : "Team " + team + " " + rates.nearMissStory(rule);
        Subject subject = Subject.newBuilder().setType(SubjectType.TEAM).setId(team).setName(team).build();
        out.add(new VerdictBuilder(TeamProcessor.NEAR_MISS, rule.version(), SignalKind.NEAR_MISS_RATE, subject).dedupKey(dedupKey)
                .labels(new TreeMap<>(Map.of("team", team))).outcome(holds, severity, reason).facts(facts)
                .thresholds(Rates.nearMissThresholds(rule)).relatedTickets(List.of()).relatedAccounts(List.of()).build());
    }

    private static String nearMissKey(String team) {
        return TeamProcessor.NEAR_MISS + "/team/" + team;
    }

    private static boolean raised(TeamView view) {
        String dedupKey = nearMissKey(view.team());
        return view.state().getSignals().stream().anyMatch(b -> b.getActive() && b.getDedupKey().equals(dedupKey));
    }

    private static boolean holds(TeamView view, RuleSet.NearMissRate rule, Rates rates) {
        // Tickets without a team have nobody to tell.
        return rule.enabled() && rule.teams() && !TeamFeed.NO_TEAM.equals(view.team()) && rates.nearMissHolds(rule);
    }

    private static Set<String> activeSubjects(TeamView view, String ruleId) {
        Set<String> subjects = new TreeSet<>();
        for (SignalBook book : view.active(ruleId)) {
            subjects.add(book.getDedupKey().substring(book.getDedupKey().lastIndexOf('/') + 1));
        }
        return subjects;
    }

    /** One technician can work in several teams; each team judges its own share, under its own key. */
    private static String dedupKey(String ruleId, String team, String technician) {
        return ruleId + "/technician/" + team + "/" + technician;
    }

    private static Verdict verdict(String ruleId, int version, SignalKind kind, String team, String technician, boolean active,
                                   Severity severity, String reason, Map<String, String> facts, Map<String, String> thresholds,
                                   List<String> tickets, List<String> accounts) {
        Subject subject = Subject.newBuilder().setType(SubjectType.TECHNICIAN).setId(technician).setName(technician + " (" + team + ")").build();
        String dedupKey = dedupKey(ruleId, team, technician);
        Map<String, String> labels = new TreeMap<>();
        labels.put("team", team);
        labels.put("technician", technician);
        return new VerdictBuilder(ruleId, version, kind, subject).dedupKey(dedupKey).labels(labels).outcome(active, severity, reason)
                .facts(facts).thresholds(thresholds).relatedTickets(tickets.size() > 50 ? tickets.subList(0, 50) : tickets)
                .relatedAccounts(accounts).build();
    }
}
