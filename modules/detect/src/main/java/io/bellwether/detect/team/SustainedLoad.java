package io.bellwether.detect.team;

import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.state.WeekLoad;
import io.bellwether.detect.time.WorkWeeks;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SUSTAINED_LOAD, a burnout risk: a technician heavy in at least {@code minWeeks} of the last {@code weeks} complete
 * calendar weeks (their calendar's weeks, Monday to Sunday). A week is heavy when they worked at least
 * {@code loadFactor} x the median number of tickets of the team's technicians who worked that week (and at least
 * {@code minTickets}, in a team of at least {@code minTechnicians} that week), or when at least
 * {@code outOfHoursDays} days they worked outside their calendar's hours. The evidence is the weeks
 * themselves. Judged per team (a technician in two teams is judged in each); the signal goes to the people-signals
 * topic only, for managers, never where a client could see it.
 */
final class SustainedLoad {
    static final String RULE_ID = "sustained-load";
    private static final long DAY = 86_400_000L;

    static final Rule<TeamView> RULE = new Rule<>() {
        @Override
        public void evaluate(TeamView view, long at, List<Verdict> out) {
            SustainedLoad.evaluate(view, at, out);
        }

        @Override
        public long nextChange(TeamView view, long at) {
            return SustainedLoad.nextChange(view.team(), view.state(), view.active(RULE_ID), view.rules(), at);
        }
    };

    private SustainedLoad() {
    }

    /**
     * Verdicts change only when a week ends: the first week start at which a technician's verdict would differ from what
     * is raised now (a heavy enough look-back, or one no longer heavy enough, or all of it heavy), with no new work. A
     * quiet team is not woken weekly, and its other technician signals keep the moments they are judged at.
     */
    static long nextChange(String team, TeamState state, Rules rules, long at) {
        return nextChange(team, state, state.getSignals(), rules, at);
    }

    /** As above, {@code books} holding (at least) the team's active books of this rule. */
    private static long nextChange(String team, TeamState state, List<SignalBook> books, Rules rules, long at) {
        Rules.SustainedLoad rule = rules.sustainedLoad();
        if (!rule.enabled()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        TeamWeeks teamWeeks = new TeamWeeks(state);
        java.util.Set<String> raised = raisedTechnicians(team, books);
        for (String technician : candidates(state, rule, raised)) {
            ZoneId zone = rules.technicianCalendar(technician).zone();
            long week = WorkWeeks.weekOf(at, zone);
            String now = outcome(teamWeeks, rule, technician, week);
            for (int k = 1; k <= rule.weeks() + 1; k++) {
                long start = WorkWeeks.startOf(week + 7L * k, zone);
                if (start >= next) {
                    break;
                }
                if (!outcome(teamWeeks, rule, technician, week + 7L * k).equals(now)) {
                    next = start;
                    break;
                }
            }
        }
        return next;
    }

    /**
     * Whether enough of the technician's kept weeks pass the floors (tickets or out-of-hours events) for the rule to hold
     * in some week: most technicians never do, and need no median.
     */
    private static boolean couldBeHeavy(TeamState state, Rules.SustainedLoad rule, String technician) {
        int candidates = 0;
        for (WeekLoad w : state.getLoad().getOrDefault(technician, List.of())) {
            if (w.getTickets() >= rule.minTickets() || Integer.bitCount(w.getLateDays()) >= rule.outOfHoursDays()) {
                candidates++;
            }
        }
        return candidates >= rule.minWeeks();
    }

    /** What the verdict would say in {@code week}: quiet, WARNING or ERROR. */
    private static String outcome(TeamWeeks teamWeeks, Rules.SustainedLoad rule, String technician, long week) {
        int heavy = heavyWeeks(teamWeeks, rule, technician, week).size();
        return heavy < rule.minWeeks() ? "quiet" : heavy >= rule.weeks() ? "ERROR" : "WARNING";
    }

    /** Counts {@code fact}'s work into its technician's week in {@code state}, and forgets weeks the rule no longer reads. */
    static void record(TeamState state, TicketFact fact, long at, Rules rules) {
        String technician = fact.getWorkedBy();
        Rules.SustainedLoad rule = rules.sustainedLoad();
        long week = WorkWeeks.weekOf(at, rules.technicianCalendar(technician).zone());
        List<WeekLoad> weeks = state.getLoad().computeIfAbsent(technician, t -> new ArrayList<>());
        WeekLoad entry = null;
        int insertAt = weeks.size();
        for (int i = weeks.size() - 1; i >= 0; i--) {
            if (weeks.get(i).getWeek() == week) {
                entry = weeks.get(i);
                break;
            }
            if (weeks.get(i).getWeek() < week) {
                insertAt = i + 1;
                break;
            }
            insertAt = i;
        }
        if (entry == null) {
            entry = new WeekLoad(week, 0, 0);
            weeks.add(insertAt, entry);
        }
        if (fact.getNewWorkWeek()) {
            entry.setTickets(entry.getTickets() + 1);
        }
        if (fact.getOutOfHours()) {
            int weekday = java.time.Instant.ofEpochMilli(at).atZone(rules.technicianCalendar(technician).zone()).getDayOfWeek().getValue() - 1;
            entry.setLateDays(entry.getLateDays() | 1 << weekday);
        }
        long oldest = week - 7L * (rule.weeks() + 1);
        state.getLoad().values().forEach(list -> list.removeIf(w -> w.getWeek() < oldest));
        state.getLoad().values().removeIf(List::isEmpty);
    }

    private static void evaluate(TeamView view, long at, List<Verdict> out) {
        Rules.SustainedLoad rule = view.rules().sustainedLoad();
        TeamWeeks teamWeeks = new TeamWeeks(view.state());
        java.util.Set<String> raised = raisedTechnicians(view.team(), view.active(RULE_ID));
        for (String technician : candidates(view.state(), rule, raised)) {
            long week = WorkWeeks.weekOf(at, view.rules().technicianCalendar(technician).zone());
            List<Heavy> heavy = rule.enabled() ? heavyWeeks(teamWeeks, rule, technician, week) : List.of();
            boolean active = heavy.size() >= rule.minWeeks();
            String key = dedupKey(view.team(), technician);
            if (!active && !raised.contains(technician)) {
                continue;
            }
            Severity severity = heavy.size() >= rule.weeks() ? Severity.ERROR : Severity.WARNING;
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("heavyWeeks", String.valueOf(heavy.size()));
            for (Heavy h : heavy) {
                facts.put("week " + LocalDate.ofEpochDay(h.week), h.describe());
            }
            if (view.quiet().wouldStayQuiet(key, active, severity.name(), facts.hashCode())) {
                continue;
            }
            String reason = !rule.enabled() ? "Rule disabled"
                    : active ? technician + " was heavily loaded in " + heavy.size() + " of the last " + rule.weeks() + " weeks in team "
                    + view.team() + ": " + String.join("; ", heavy.stream().map(h -> "week of " + LocalDate.ofEpochDay(h.week) + " "
                    + h.describe()).toList())
                    : technician + " was heavily loaded in " + heavy.size() + " of the last " + rule.weeks() + " weeks";
            Subject subject = Subject.newBuilder().setType(SubjectType.TECHNICIAN).setId(technician)
                    .setName(technician + " (" + view.team() + ")").build();
            Map<String, String> labels = new TreeMap<>(Map.of("team", view.team(), "technician", technician, "audience", "manager"));
            Map<String, String> thresholds = new LinkedHashMap<>();
            thresholds.put("weeks", String.valueOf(rule.weeks()));
            thresholds.put("minWeeks", String.valueOf(rule.minWeeks()));
            thresholds.put("loadFactor", String.valueOf(rule.loadFactor()));
            thresholds.put("minTickets", String.valueOf(rule.minTickets()));
            thresholds.put("minTechnicians", String.valueOf(rule.minTechnicians()));
            thresholds.put("outOfHoursDays", String.valueOf(rule.outOfHoursDays()));
            out.add(new VerdictBuilder(RULE_ID, rule.version(), SignalKind.SUSTAINED_LOAD, subject).dedupKey(key).labels(labels)
                    .outcome(active, severity, reason).facts(facts).thresholds(thresholds).relatedTickets(List.of())
                    .relatedAccounts(List.of()).build());
        }
    }

    /** One heavy week of a technician, with what made it heavy. */
    private record Heavy(long week, int tickets, double median, int lateDays, boolean load, boolean late) {
        String describe() {
            List<String> parts = new ArrayList<>(2);
            if (load) {
                parts.add(tickets + " tickets against a team median of " + (median == Math.rint(median) ? String.valueOf((long) median) : String.valueOf(median)));
            }
            if (late) {
                parts.add("out of hours on " + lateDays + " days");
            }
            return String.join(", ", parts);
        }
    }

    /** The team's weeks as the rule compares them: per week, how many technicians worked and their median; computed once a call. */
    private static final class TeamWeeks {
        private final TeamState state;
        private final Map<Long, double[]> workers = new HashMap<>();

        TeamWeeks(TeamState state) {
            this.state = state;
        }

        /** Tickets worked that week by each of the team's technicians who worked any, sorted. */
        double[] worked(long week) {
            return workers.computeIfAbsent(week, w -> {
                double[] counts = workedThatWeek(state, w);
                Arrays.sort(counts);
                return counts;
            });
        }
    }

    /** The heavy weeks among the {@code weeks} complete ones before {@code currentWeek}, newest first. */
    private static List<Heavy> heavyWeeks(TeamWeeks teamWeeks, Rules.SustainedLoad rule, String technician, long currentWeek) {
        TeamState state = teamWeeks.state;
        List<WeekLoad> mine = state.getLoad().getOrDefault(technician, List.of());
        List<Heavy> heavy = new ArrayList<>();
        for (int k = 1; k <= rule.weeks(); k++) {
            long week = currentWeek - 7L * k;
            WeekLoad entry = find(mine, week);
            if (entry == null) {
                continue;
            }
            double[] team = teamWeeks.worked(week);
            double median = median(team);
            boolean load = entry.getTickets() >= rule.minTickets() && team.length >= rule.minTechnicians()
                    && entry.getTickets() >= rule.loadFactor() * median;
            int lateDays = Integer.bitCount(entry.getLateDays());
            boolean late = lateDays >= rule.outOfHoursDays();
            if (load || late) {
                heavy.add(new Heavy(week, entry.getTickets(), median, lateDays, load, late));
            }
        }
        return heavy;
    }

    private static WeekLoad find(List<WeekLoad> weeks, long week) {
        for (WeekLoad w : weeks) {
            if (w.getWeek() == week) {
                return w;
            }
        }
        return null;
    }

    /** Tickets worked that week by each of the team's technicians who worked any. */
    private static double[] workedThatWeek(TeamState state, long week) {
        List<Double> counts = new ArrayList<>();
        state.getLoad().values().forEach(weeks -> {
            WeekLoad w = find(weeks, week);
            if (w != null && w.getTickets() > 0) {
                counts.add((double) w.getTickets());
            }
        });
        return counts.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The median of sorted values. */
    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * In name order, the technicians whose weeks of work here could make the rule hold, and those with a raised signal to
     * end. Filtered before sorted: a team's every technician has weeks of work, few of them heavy ones.
     */
    private static List<String> candidates(TeamState state, Rules.SustainedLoad rule, java.util.Set<String> raised) {
        List<String> out = new ArrayList<>();
        state.getLoad().keySet().forEach(technician -> {
            if (raised.contains(technician) || couldBeHeavy(state, rule, technician)) {
                out.add(technician);
            }
        });
        raised.forEach(technician -> {
            if (!state.getLoad().containsKey(technician)) {
                out.add(technician);
            }
        });
        out.sort(null);
        return out;
    }

    /** The technicians of this team whose signal is raised, of the team's signal books {@code books}. */
    private static java.util.Set<String> raisedTechnicians(String team, List<SignalBook> books) {
        java.util.Set<String> out = new java.util.HashSet<>();
        String prefix = RULE_ID + "/technician/" + team + "/";
        for (SignalBook book : books) {
            if (book.getActive() && book.getDedupKey().startsWith(prefix)) {
                out.add(book.getDedupKey().substring(prefix.length()));
            }
        }
        return out;
    }

    static String dedupKey(String team, String technician) {
        return RULE_ID + "/technician/" + team + "/" + technician;
    }
}
