package io.bellwether.detect.team;

import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.DurationText;
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
            overload(view, out);
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
            long window = view.rules().dependencyMagnet().window().toMillis();
            Set<String> seen = new java.util.HashSet<>();
            long next = Long.MAX_VALUE;
            for (TicketNote note : view.state().getEscalations()) {
                if (note.getAt() > at - window && note.getAt() <= at && seen.add(note.getWho())) {
                    next = Math.min(next, note.getAt() + window);
                }
            }
            return next;
        }
    };

    /** In the order they are judged. */
    static final List<Rule<TeamView>> ALL = List.of(OVERLOAD, MAGNETS);

    private TeamRules() {
    }

    private static void overload(TeamView view, List<Verdict> out) {
        String team = view.team();
        TeamState state = view.state();
        Rules.Overload rule = view.rules().overload();
        // Counted first, listed only for the technicians a verdict is built for: a busy team holds thousands of urgent tickets.
        Map<String, Integer> counts = new HashMap<>();
        state.getUrgent().forEach((ticket, urgent) -> {
            if (urgent.getAssignee() != null) {
                counts.merge(urgent.getAssignee(), 1, Integer::sum);
            }
        });
        int total = state.getUrgent().size();
        int technicians = state.getTechnicians().size();
        Set<String> raised = activeSubjects(state, TeamProcessor.OVERLOAD);
        Set<String> candidates = new TreeSet<>(counts.keySet());
        candidates.addAll(raised);
        // Who gets a verdict: an overload that holds, or one raised that may end. Their tickets are listed in one pass.
        Map<String, List<String>> held = new HashMap<>();
        for (String technician : candidates) {
            if (raised.contains(technician) || overloaded(rule, counts.getOrDefault(technician, 0), total, technicians)) {
                held.put(technician, new ArrayList<>(counts.getOrDefault(technician, 0)));
            }
        }
        if (held.isEmpty()) {
            return;
        }
        state.getUrgent().forEach((ticket, urgent) -> {
            List<String> list = urgent.getAssignee() == null ? null : held.get(urgent.getAssignee());
            if (list != null) {
                list.add(ticket);
            }
        });
        for (String technician : candidates) {
            List<String> tickets = held.get(technician);
            if (tickets == null) {
                // Nothing to raise and nothing to resolve: the lifecycle would drop this verdict unread.
                continue;
            }
            double share = total == 0 ? 0 : (double) tickets.size() / total;
            boolean active = overloaded(rule, tickets.size(), total, technicians);
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("urgentHeld", String.valueOf(tickets.size()));
            facts.put("teamUrgent", String.valueOf(total));
            facts.put("share", String.valueOf(Math.round(share * 100) / 100.0));
            facts.put("technicians", String.valueOf(technicians));
            Severity severity = share >= Math.min(1.0, rule.share() + 0.25) && tickets.size() >= 2 * rule.minTickets() ? Severity.ERROR : Severity.WARNING;
            String reason = active
                    ? technician + " holds " + tickets.size() + " of team " + team + "'s " + total + " open urgent tickets ("
                    + Math.round(share * 100) + "%, " + technicians + " technicians on the team)"
                    : technician + " holds " + tickets.size() + " of " + total + " urgent tickets";
            out.add(verdict(TeamProcessor.OVERLOAD, rule.version(), SignalKind.TECHNICIAN_OVERLOAD, team, technician, active, severity, reason, facts,
                    Map.of("share", String.valueOf(rule.share()), "minTickets", String.valueOf(rule.minTickets()),
                            "minTechnicians", String.valueOf(rule.minTechnicians()), "priorities", rule.priorities().toString()),
                    tickets, List.of()));
        }
    }

    private static boolean overloaded(Rules.Overload rule, int heldCount, int total, int technicians) {
        double share = total == 0 ? 0 : (double) heldCount / total;
        return rule.enabled() && heldCount >= rule.minTickets() && share >= rule.share() && technicians >= rule.minTechnicians();
    }

    private static void magnets(TeamView view, long at, List<Verdict> out) {
        String team = view.team();
        TeamState state = view.state();
        Rules.DependencyMagnet rule = view.rules().dependencyMagnet();
        long window = rule.window().toMillis();
        Map<String, List<TicketNote>> byTechnician = new TreeMap<>();
        for (TicketNote note : state.getEscalations()) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                byTechnician.computeIfAbsent(note.getWho(), t -> new ArrayList<>()).add(note);
            }
        }
        Set<String> raised = activeSubjects(state, TeamProcessor.MAGNET);
        Set<String> candidates = new TreeSet<>(byTechnician.keySet());
        candidates.addAll(raised);
        for (String technician : candidates) {
            List<TicketNote> notes = byTechnician.getOrDefault(technician, List.of());
            Set<String> accounts = new TreeSet<>();
            for (TicketNote note : notes) {
                if (note.getAccountId() != null) {
                    accounts.add(note.getAccountId());
                }
            }
            boolean active = rule.enabled() && accounts.size() >= rule.accounts();
            if (!active && !raised.contains(technician)) {
                // Nothing to raise and nothing to resolve: the lifecycle would drop this verdict unread.
                continue;
            }
            List<String> tickets = new ArrayList<>();
            for (TicketNote note : notes) {
                if (!tickets.contains(note.getTicketKey())) {
                    tickets.add(note.getTicketKey());
                }
            }
            Severity severity = accounts.size() >= 2 * rule.accounts() ? Severity.ERROR : Severity.WARNING;
            String reason = technician + " was pulled into escalations of " + accounts.size() + " accounts in "
                    + DurationText.format(rule.window()) + " (" + String.join(", ", accounts) + ")";
            out.add(verdict(TeamProcessor.MAGNET, rule.version(), SignalKind.DEPENDENCY_MAGNET, team, technician, active, severity, reason,
                    Map.of("accounts", String.valueOf(accounts.size()), "escalations", String.valueOf(notes.size())),
                    Map.of("accounts", String.valueOf(rule.accounts()), "window", DurationText.format(rule.window())),
                    tickets, new ArrayList<>(accounts)));
        }
    }

    private static Set<String> activeSubjects(TeamState state, String ruleId) {
        Set<String> subjects = new TreeSet<>();
        for (SignalBook book : state.getSignals()) {
            if (book.getActive() && book.getRuleId().equals(ruleId)) {
                subjects.add(book.getDedupKey().substring(book.getDedupKey().lastIndexOf('/') + 1));
            }
        }
        return subjects;
    }

    private static Verdict verdict(String ruleId, int version, SignalKind kind, String team, String technician, boolean active,
                                   Severity severity, String reason, Map<String, String> facts, Map<String, String> thresholds,
                                   List<String> tickets, List<String> accounts) {
        Subject subject = Subject.newBuilder().setType(SubjectType.TECHNICIAN).setId(technician).setName(technician + " (" + team + ")").build();
        // One technician can work in several teams; each team judges its own share, under its own key.
        String dedupKey = ruleId + "/technician/" + team + "/" + technician;
        Map<String, String> labels = new TreeMap<>();
        labels.put("team", team);
        labels.put("technician", technician);
        return new VerdictBuilder(ruleId, version, kind, subject).dedupKey(dedupKey).labels(labels).outcome(active, severity, reason)
                .facts(facts).thresholds(thresholds).relatedTickets(tickets.size() > 50 ? tickets.subList(0, 50) : tickets)
                .relatedAccounts(accounts).build();
    }
}
