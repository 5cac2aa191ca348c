package io.bellwether.detect.team;

import io.bellwether.detect.StateLists;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.FeedStage;
import io.bellwether.detect.StageStores;
import io.bellwether.detect.lifecycle.Acknowledgements;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.lifecycle.Silences;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.detect.state.UrgentTicket;
import io.bellwether.events.Priority;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The technician stage, per team. TECHNICIAN_OVERLOAD: one technician holds at least the configured share of
 * the team's open urgent work (high priority or escalated), with enough tickets and colleagues (technicians given
 * work in the team within two weeks) for that to be a choice rather than a team of one. DEPENDENCY_MAGNET: one technician was pulled into escalations of many
 * different accounts within the window: the person everything hard ends up with.
 */
public final class TeamProcessor extends FeedStage<TeamState> {
    private final String silencesStore;
    private final String acksStore;
    private final TeamOutputs outputs;
    static final String OVERLOAD = "technician-overload";
    static final String MAGNET = "dependency-magnet";
    private static final int MAX_NOTES = 500;
    /** A technician who had no work in the team for this long no longer counts as one of its technicians. */
    private static final long TECHNICIAN_MEMORY = 14L * 24 * 3600 * 1000;

    private final Rules rules;
    private SignalLifecycle lifecycle;

    public TeamProcessor(Rules rules, DetectConfig config, DetectMetrics metrics, StageStores stores, TeamOutputs outputs) {
        super(config, metrics, stores.state(), stores.pending(), stores.clock());
        this.outputs = outputs;
        this.silencesStore = stores.silences();
        this.acksStore = stores.acks();
        this.rules = rules;
    }

    @Override
    protected void initStage(ProcessorContext<Void, Void> context) {
        this.lifecycle = new SignalLifecycle(rules.lifecycle(), new Silences(context.getStateStore(silencesStore)),
                new Acknowledgements(context.getStateStore(acksStore)), metrics);
    }

    @Override
    protected TeamState newState(String key, FeedItem first) {
        return TeamState.newBuilder().setTeam(key).setUrgent(new HashMap<>()).setTechnicians(new HashMap<>())
                .setEscalations(new ArrayList<>()).setSignals(new ArrayList<>()).setNextDueAt(null).build();
    }

    @Override
    protected void apply(String team, TeamState state, FeedItem item, long at) {
        TicketFact fact = item.getFact();
        if (fact == null) {
            return;
        }
        String ticket = fact.getTicketKey();
        if (!team.equals(teamOf(fact)) || !fact.getIsOpen()) {
            // The ticket left this team (this copy went to its previous team) or is done.
            state.getUrgent().remove(ticket);
            return;
        }
        if (fact.getAssignee() != null) {
            state.getTechnicians().put(fact.getAssignee(), at);
        }
        long stale = at - TECHNICIAN_MEMORY;
        state.getTechnicians().values().removeIf(seen -> seen < stale);
        boolean urgent = fact.getEscalated() || fact.getEscalation() != null
                || rules.overload().priorities().contains(Priority.valueOf(fact.getPriorityLevel()));
        if (urgent) {
            state.getUrgent().put(ticket, UrgentTicket.newBuilder().setAssignee(fact.getAssignee()).setAccountId(fact.getAccountId())
                    .setPriorityLevel(fact.getPriorityLevel()).setEscalated(fact.getEscalated() || fact.getEscalation() != null).build());
        } else {
            state.getUrgent().remove(ticket);
        }
        boolean pulledIn = fact.getAssignee() != null && (fact.getEscalation() != null
                || (fact.getAssigneeChanged() && (fact.getEscalated() || isEscalatedHere(state, ticket))));
        if (pulledIn) {
            state.getEscalations().add(TicketNote.newBuilder().setTicketKey(ticket).setAt(at).setAccountId(fact.getAccountId())
                    .setCategory(fact.getCategory()).setConfigurationItem(fact.getConfigurationItem())
                    .setPriorityLevel(fact.getPriorityLevel()).setWho(fact.getAssignee()).setWhat(fact.getEscalation()).build());
        }
        long horizon = at - rules.dependencyMagnet().window().toMillis();
        StateLists.removeIf(state.getEscalations(), n -> n.getAt() <= horizon);
        while (state.getEscalations().size() > MAX_NOTES) {
            state.getEscalations().remove(0);
        }
    }

    private static boolean isEscalatedHere(TeamState state, String ticket) {
        UrgentTicket urgent = state.getUrgent().get(ticket);
        return urgent != null && urgent.getEscalated();
    }

    /** The team a fact belongs to now: the ticket's team, or the placeholder for tickets without one. */
    public static String teamOf(TicketFact fact) {
        return fact.getTeam() == null ? TeamFeed.NO_TEAM : fact.getTeam();
    }

    @Override
    protected long evaluate(String team, TeamState state, long at) {
        List<Verdict> verdicts = new ArrayList<>();
        overload(team, state, verdicts);
        long next = magnets(team, state, at, verdicts);
        for (Verdict verdict : verdicts) {
            lifecycle.apply(state.getSignals(), verdict, at)
                    .ifPresent(signal -> outputs.signals().emit(context, signal.getDedupKey(), signal, at));
        }
        SignalLifecycle.prune(state.getSignals(), 16);
        return Math.min(next, lifecycle.nextLifecycleMoment(state.getSignals(), verdicts, at));
    }

    private void overload(String team, TeamState state, List<Verdict> out) {
        Rules.Overload rule = rules.overload();
        Map<String, List<String>> byTechnician = new TreeMap<>();
        state.getUrgent().forEach((ticket, urgent) -> {
            if (urgent.getAssignee() != null) {
                byTechnician.computeIfAbsent(urgent.getAssignee(), t -> new ArrayList<>()).add(ticket);
            }
        });
        int total = state.getUrgent().size();
        Set<String> technicians = new TreeSet<>(state.getTechnicians().keySet());
        Set<String> candidates = new TreeSet<>(byTechnician.keySet());
        candidates.addAll(activeSubjects(state, OVERLOAD));
        for (String technician : candidates) {
            List<String> held = byTechnician.getOrDefault(technician, List.of());
            double share = total == 0 ? 0 : (double) held.size() / total;
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("urgentHeld", String.valueOf(held.size()));
            facts.put("teamUrgent", String.valueOf(total));
            facts.put("share", String.valueOf(Math.round(share * 100) / 100.0));
            facts.put("technicians", String.valueOf(technicians.size()));
            boolean active = rule.enabled() && held.size() >= rule.minTickets() && share >= rule.share()
                    && technicians.size() >= rule.minTechnicians();
            Severity severity = share >= Math.min(1.0, rule.share() + 0.25) && held.size() >= 2 * rule.minTickets() ? Severity.ERROR : Severity.WARNING;
            String reason = active
                    ? technician + " holds " + held.size() + " of team " + team + "'s " + total + " open urgent tickets ("
                    + Math.round(share * 100) + "%, " + technicians.size() + " technicians on the team)"
                    : technician + " holds " + held.size() + " of " + total + " urgent tickets";
            out.add(verdict(OVERLOAD, rule.version(), SignalKind.TECHNICIAN_OVERLOAD, team, technician, active, severity, reason, facts,
                    Map.of("share", String.valueOf(rule.share()), "minTickets", String.valueOf(rule.minTickets()),
                            "minTechnicians", String.valueOf(rule.minTechnicians()), "priorities", rule.priorities().toString()),
                    held, List.of()));
        }
    }

    private long magnets(String team, TeamState state, long at, List<Verdict> out) {
        Rules.DependencyMagnet rule = rules.dependencyMagnet();
        long window = rule.window().toMillis();
        Map<String, List<TicketNote>> byTechnician = new TreeMap<>();
        for (TicketNote note : state.getEscalations()) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                byTechnician.computeIfAbsent(note.getWho(), t -> new ArrayList<>()).add(note);
            }
        }
        Set<String> candidates = new TreeSet<>(byTechnician.keySet());
        candidates.addAll(activeSubjects(state, MAGNET));
        long next = Long.MAX_VALUE;
        for (String technician : candidates) {
            List<TicketNote> notes = byTechnician.getOrDefault(technician, List.of());
            Set<String> accounts = new TreeSet<>();
            List<String> tickets = new ArrayList<>();
            for (TicketNote note : notes) {
                if (note.getAccountId() != null) {
                    accounts.add(note.getAccountId());
                }
                if (!tickets.contains(note.getTicketKey())) {
                    tickets.add(note.getTicketKey());
                }
            }
            if (!notes.isEmpty()) {
                next = Math.min(next, notes.get(0).getAt() + window);
            }
            boolean active = rule.enabled() && accounts.size() >= rule.accounts();
            Severity severity = accounts.size() >= 2 * rule.accounts() ? Severity.ERROR : Severity.WARNING;
            String reason = technician + " was pulled into escalations of " + accounts.size() + " accounts in "
                    + DurationText.format(rule.window()) + " (" + String.join(", ", accounts) + ")";
            out.add(verdict(MAGNET, rule.version(), SignalKind.DEPENDENCY_MAGNET, team, technician, active, severity, reason,
                    Map.of("accounts", String.valueOf(accounts.size()), "escalations", String.valueOf(notes.size())),
                    Map.of("accounts", String.valueOf(rule.accounts()), "window", DurationText.format(rule.window())),
                    tickets, new ArrayList<>(accounts)));
        }
        return next;
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
        return new Verdict(dedupKey, ruleId, version, kind, subject, null, active, severity, reason, labels, List.of(), facts,
                thresholds, null, tickets.size() > 50 ? tickets.subList(0, 50) : tickets, accounts, null);
    }

    @Override
    protected Long nextDue(TeamState state) {
        return state.getNextDueAt();
    }

    @Override
    protected void setNextDue(TeamState state, Long due) {
        state.setNextDueAt(due);
    }

    @Override
    protected boolean isEmpty(TeamState state) {
        return state.getUrgent().isEmpty() && state.getTechnicians().isEmpty() && state.getEscalations().isEmpty()
                && state.getSignals().stream().noneMatch(b -> b.getActive()) && Objects.isNull(state.getNextDueAt());
    }
}
