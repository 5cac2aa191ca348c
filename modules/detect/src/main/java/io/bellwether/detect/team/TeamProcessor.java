package io.bellwether.detect.team;

import io.bellwether.detect.StateLists;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.FeedStage;
import io.bellwether.detect.StageStores;
import io.bellwether.detect.lifecycle.Acknowledgements;
import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.lifecycle.Silences;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.account.Rates;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.detect.state.UrgentTicket;
import io.bellwether.events.Priority;
import io.bellwether.events.SignalKind;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The technician stage, per team. TECHNICIAN_OVERLOAD: one technician holds at least the configured share of
 * the team's open urgent work (high priority or escalated), with enough tickets and colleagues (technicians given
 * work in the team within two weeks) for that to be a choice rather than a team of one. DEPENDENCY_MAGNET: one technician was pulled into escalations of many
 * different accounts within the window: the person everything hard ends up with. NEAR_MISS_RATE of a team: the share of
 * its resolutions that used most of their SLA (the default rules' near-miss fraction) over the window is far above the
 * team's own share over the baseline before it; a resolution counts for the team that resolved it. SUSTAINED_LOAD: a
 * technician far above the team's median workload, or working out of hours, week after week ({@link SustainedLoad});
 * for managers only, on its own topic.
 */
public final class TeamProcessor extends FeedStage<TeamState> {
    private final String silencesStore;
    private final String acksStore;
    private final TeamOutputs outputs;
    static final String OVERLOAD = "technician-overload";
    static final String MAGNET = "dependency-magnet";
    static final String NEAR_MISS = "team-near-miss-rate";
    private static final int MAX_NOTES = 500;
    private static final long DAY = 86_400_000L;
    /** A technician who had no work in the team for this long no longer counts as one of its technicians. */
    private static final long TECHNICIAN_MEMORY = 14L * 24 * 3600 * 1000;

    private final Rules rules;
    private final UrgentCounts counts = new UrgentCounts();
    private final PulledIn pulledIn = new PulledIn();
    private SignalLifecycle lifecycle;

    public TeamProcessor(Rules rules, DetectConfig config, DetectMetrics metrics, StageStores stores, TeamOutputs outputs) {
        super(config, metrics, stores.state());
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
                .setEscalations(new ArrayList<>()).setSignals(new ArrayList<>()).setNextDueAt(null).setDays(new ArrayList<>())
                .setLoad(new HashMap<>()).setIntake(new ArrayList<>()).build();
    }

    @Override
    protected void apply(String team, TeamState state, FeedItem item, long at) {
        TicketFact fact = item.getFact();
        if (fact == null) {
            return;
        }
        String ticket = fact.getTicketKey();
        if (fact.getResolved() && team.equals(teamOf(fact))) {
            countResolution(state, fact, at);
        }
        if (fact.getWorkedBy() != null && team.equals(teamOf(fact))) {
            SustainedLoad.record(state, fact, at, rules);
        }
        if (!TeamFeed.concernsTechnicianRules(fact)) {
            return;
        }
        if (team.equals(teamOf(fact))) {
            TierIntake.record(state, fact, at, rules.tiers());
        }
        if (!team.equals(teamOf(fact)) || !fact.getIsOpen()) {
            // The ticket left this team (this copy went to its previous team) or is done.
            counts.remove(team, state, ticket);
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
            counts.put(team, state, ticket, UrgentTicket.newBuilder().setAssignee(fact.getAssignee()).setAccountId(fact.getAccountId())
                    .setPriorityLevel(fact.getPriorityLevel()).setEscalated(fact.getEscalated() || fact.getEscalation() != null).build());
        } else {
            counts.remove(team, state, ticket);
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

    private void countResolution(TeamState state, TicketFact fact, long at) {
        RuleSet.NearMissRate rule = rules.defaults().nearMissRate();
        Rates.countResolution(state.getDays(), at, fact.getResolutionSlaUsed(), rule.nearMissAt());
        long oldestDay = Math.floorDiv(at, DAY) - rule.window().toDays() - rule.baseline().toDays();
        StateLists.removeIf(state.getDays(), d -> d.getDay() < oldestDay);
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
        TeamView view = new TeamView(team, state, rules, counts.held(team, state), pulledIn,
                (dedupKey, active, severity, factsHash) -> lifecycle.wouldStayQuiet(state.getSignals(), dedupKey, active, severity, factsHash, at));
        long next = Long.MAX_VALUE;
        for (Rule<TeamView> rule : TeamRules.ALL) {
            rule.evaluate(view, at, verdicts);
            next = Math.min(next, rule.nextChange(view, at));
        }
        for (Verdict verdict : verdicts) {
            lifecycle.apply(state.getSignals(), verdict, at)
                    .ifPresent(signal -> (signal.getKind() == SignalKind.SUSTAINED_LOAD ? outputs.people() : outputs.signals())
                            .emit(context, signal.getDedupKey(), signal, at));
        }
        SignalLifecycle.prune(state.getSignals(), 16);
        return Math.min(next, lifecycle.nextLifecycleMoment(state.getSignals(), verdicts, at));
    }

    /** A fact sent only for its work tally is counted, not judged: the sustained-load rule reads it when a week ends. */
    @Override
    protected boolean decides(FeedItem item) {
        return item.getFact() == null || TeamFeed.concernsTechnicianRules(item.getFact());
    }

    @Override
    protected long foldedNextChange(String team, TeamState state, long at) {
        return SustainedLoad.nextChange(team, state, rules, at);
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
        return state.getUrgent().isEmpty() && state.getTechnicians().isEmpty() && state.getEscalations().isEmpty() && state.getDays().isEmpty()
                && state.getLoad().isEmpty() && state.getIntake().isEmpty()
                && state.getSignals().stream().noneMatch(b -> b.getActive()) && Objects.isNull(state.getNextDueAt());
    }
}
