package io.bellwether.detect.team;

import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.IntakeDay;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * TIER_INTAKE: a top-tier team (its tickets at {@code tiers.topTier}) whose new work over the window is mostly
 * escalations from lower levels: at least {@code maxShare} of the tickets that reached it (opened there, moved in, or
 * raised to its level) came up from below, and at least {@code minTickets} did. The senior capacity is being eaten by
 * what the lower tiers pass up. Days are UTC days, today included; ERROR at twice the share bar or the ticket floor.
 */
final class TierIntake {
    static final String RULE_ID = "tier-intake";
    private static final long DAY = 86_400_000L;

    static final Rule<TeamView> RULE = new Rule<>() {
        @Override
        public void evaluate(TeamView view, long at, List<Verdict> out) {
            TierIntake.evaluate(view, at, out);
        }

        /** While raised, each UTC midnight (the window moves); otherwise only new arrivals change the verdict. */
        @Override
        public long nextChange(TeamView view, long at) {
            return raised(view) ? (Math.floorDiv(at, DAY) + 1) * DAY : Long.MAX_VALUE;
        }
    };

    private TierIntake() {
    }

    /** Counts a ticket reaching the team at the top level; forgets days past the window. */
    static void record(TeamState state, TicketFact fact, long at, Rules.Tiers tiers) {
        if (!tiers.enabled() || fact.getTier() == null || fact.getTier() < tiers.topTier()) {
            return;
        }
        boolean raisedHere = fact.getPreviousTier() != null && fact.getPreviousTier() < fact.getTier();
        if (!(fact.getFirstSighting() || fact.getTeamChanged() || raisedHere)) {
            return;
        }
        long day = Math.floorDiv(at, DAY);
        List<IntakeDay> days = state.getIntake();
        IntakeDay today = null;
        for (IntakeDay d : days) {
            if (d.getDay() == day) {
                today = d;
            }
        }
        if (today == null) {
            today = new IntakeDay(day, 0, 0);
            int i = days.size();
            while (i > 0 && days.get(i - 1).getDay() > day) {
                i--;
            }
            days.add(i, today);
        }
        today.setTotal(today.getTotal() + 1);
        if (raisedHere) {
            today.setEscalated(today.getEscalated() + 1);
        }
        long oldest = day - Math.max(1, tiers.intakeWindow().toDays()) + 1;
        days.removeIf(d -> d.getDay() < oldest);
    }

    private static void evaluate(TeamView view, long at, List<Verdict> out) {
        Rules.Tiers tiers = view.rules().tiers();
        long today = Math.floorDiv(at, DAY);
        long windowDays = Math.max(1, tiers.intakeWindow().toDays());
        int total = 0;
        int escalated = 0;
        for (IntakeDay d : view.state().getIntake()) {
            if (today - d.getDay() >= 0 && today - d.getDay() < windowDays) {
                total += d.getTotal();
                escalated += d.getEscalated();
            }
        }
        double share = total == 0 ? 0 : (double) escalated / total;
        boolean active = tiers.enabled() && escalated >= tiers.minTickets() && share >= tiers.maxShare();
        if (!active && !raised(view)) {
            return;
        }
        Severity severity = share >= Math.min(1.0, 2 * tiers.maxShare()) || escalated >= 2 * tiers.minTickets() ? Severity.ERROR : Severity.WARNING;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("escalated", String.valueOf(escalated));
        facts.put("arrived", String.valueOf(total));
        facts.put("share", String.valueOf(Math.round(share * 100) / 100.0));
        if (view.quiet().wouldStayQuiet(dedupKey(view.team()), active, severity.name(), facts.hashCode())) {
            return;
        }
        String window = DurationText.format(tiers.intakeWindow());
        String reason = active ? "Team " + view.team() + " (L" + tiers.topTier() + "): " + escalated + " of the " + total
                + " tickets that reached it in " + window + " were escalated from lower levels (" + Math.round(share * 100) + "%)"
                : escalated + " of " + total + " tickets escalated from lower levels in " + window;
        Subject subject = Subject.newBuilder().setType(SubjectType.TEAM).setId(view.team()).setName(view.team()).build();
        Map<String, String> thresholds = new LinkedHashMap<>();
        thresholds.put("window", window);
        thresholds.put("maxShare", String.valueOf(tiers.maxShare()));
        thresholds.put("minTickets", String.valueOf(tiers.minTickets()));
        out.add(new VerdictBuilder(RULE_ID, tiers.version(), SignalKind.TIER_INTAKE, subject).dedupKey(dedupKey(view.team()))
                .labels(new TreeMap<>(Map.of("team", view.team()))).outcome(active, severity, reason).facts(facts).thresholds(thresholds)
                .relatedTickets(List.of()).relatedAccounts(List.of()).build());
    }

    private static boolean raised(TeamView view) {
        String key = dedupKey(view.team());
        for (SignalBook book : view.state().getSignals()) {
            if (book.getActive() && book.getDedupKey().equals(key)) {
                return true;
            }
        }
        return false;
    }

    static String dedupKey(String team) {
        return RULE_ID + "/team/" + team;
    }
}
