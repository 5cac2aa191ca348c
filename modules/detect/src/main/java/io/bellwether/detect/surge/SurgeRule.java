package io.bellwether.detect.surge;

import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.SurgeState;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * SURGE on one shared dimension: many new tickets from several accounts within the window, far above the dimension's
 * own hourly baseline; it holds while the wave's tickets stay open, and ends when the window is quiet and they resolved.
 */
final class SurgeRule implements Rule<SurgeView> {
    static final SurgeRule RULE = new SurgeRule();
    private static final long HOUR = 3_600_000L;

    private SurgeRule() {
    }

    @Override
    public void evaluate(SurgeView view, long at, List<Verdict> out) {
        String dimension = view.dimension();
        SurgeState state = view.state();
        Rules.Surge rule = view.rule();
        long window = rule.window().toMillis();
        // Counted first; the evidence is listed only when there is a verdict to give (a dimension busy enough to matter
        // holds thousands of openings, and is judged on every one of them).
        int count = 0;
        Set<String> counted = new HashSet<>();
        for (TicketNote note : state.getRecent()) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                count++;
                if (note.getAccountId() != null) {
                    counted.add(note.getAccountId());
                }
            }
        }
        double baselinePerWindow = baselineTotal(state, at, rule) * ((double) window / rule.baseline().toMillis());
        double trigger = Math.max(rule.minTickets(), rule.factor() * baselinePerWindow);
        SignalBook book = SignalLifecycle.find(state.getSignals(), Verdict.dedupKey(SurgeProcessor.RULE_ID, SurgeProcessor.subject(dimension)));
        boolean wasActive = book != null && book.getActive();
        long stillOpen = wasActive ? state.getRecent().stream().filter(n -> n.getAt() <= at && !SurgeProcessor.RESOLVED.equals(n.getWhat())).count() : 0;
        boolean starts = counted.size() >= rule.minAccounts() && count >= trigger;
        boolean continues = wasActive && (count >= Math.ceil(trigger / 2) || stillOpen >= Math.ceil(trigger / 2));
        boolean active = rule.enabled() && (starts || continues);
        if (!active && !wasActive) {
            // No wave and none to end: the lifecycle would drop this verdict unread.
            return;
        }
        List<TicketNote> inWindow = new ArrayList<>(count);
        for (TicketNote note : state.getRecent()) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                inWindow.add(note);
            }
        }
        Set<String> accounts = new TreeSet<>(counted);

        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("windowCount", String.valueOf(count));
        facts.put("accounts", String.valueOf(accounts.size()));
        facts.put("stillOpen", String.valueOf(stillOpen));
        facts.put("baselinePerWindow", String.valueOf(Math.round(baselinePerWindow * 100) / 100.0));
        facts.put("inhibits", String.join(",", new TreeSet<>(rule.inhibits().stream().map(Enum::name).toList())));
        Map<String, String> thresholds = new LinkedHashMap<>();
        thresholds.put("window", DurationText.format(rule.window()));
        thresholds.put("baseline", DurationText.format(rule.baseline()));
        thresholds.put("factor", String.valueOf(rule.factor()));
        thresholds.put("minTickets", String.valueOf(rule.minTickets()));
        thresholds.put("minAccounts", String.valueOf(rule.minAccounts()));
        List<String> tickets = new ArrayList<>();
        inWindow.forEach(n -> tickets.add(n.getTicketKey()));
        String what = describe(dimension);
        String reason = active && !starts
                ? "Wave on " + what + " continues: " + stillOpen + " of its tickets still open, " + count + " new in " + DurationText.format(rule.window())
                : active
                ? count + " new tickets on " + what + " from " + accounts.size() + " accounts in " + DurationText.format(rule.window())
                + " (baseline " + String.format("%.1f", baselinePerWindow) + " per " + DurationText.format(rule.window())
                + "): likely outage or onboarding wave"
                : count + " new tickets on " + what + " in " + DurationText.format(rule.window()) + " and the wave's tickets resolved: back to normal";
        Severity severity = count >= 2 * trigger ? Severity.ERROR : Severity.WARNING;
        Verdict verdict = new VerdictBuilder(SurgeProcessor.RULE_ID, rule.version(), SignalKind.SURGE, SurgeProcessor.subject(dimension))
                .outcome(active, severity, reason).labels(Map.of("dimension", dimension)).facts(facts).thresholds(thresholds)
                .relatedTickets(tickets.size() > 100 ? tickets.subList(tickets.size() - 100, tickets.size()) : tickets)
                .relatedAccounts(new ArrayList<>(accounts)).build();
        out.add(verdict);
    }

    /** When the earliest new ticket in the window leaves it. */
    @Override
    public long nextChange(SurgeView view, long at) {
        long window = view.rule().window().toMillis();
        for (TicketNote note : view.state().getRecent()) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                return note.getAt() + window;
            }
        }
        return Long.MAX_VALUE;
    }

    private static long baselineTotal(SurgeState state, long at, Rules.Surge rule) {
        long windowStartHour = Math.floorDiv(at - rule.window().toMillis(), HOUR);
        long baselineStartHour = windowStartHour - rule.baseline().toMillis() / HOUR;
        long total = 0;
        List<Integer> hourly = state.getHourly();
        for (int i = 0; i < hourly.size(); i++) {
            long hour = state.getHourBase() + i;
            if (hour >= baselineStartHour && hour < windowStartHour) {
                total += hourly.get(i);
            }
        }
        return total;
    }

    private static String describe(String dimension) {
        int colon = dimension.indexOf(':');
        String kind = switch (dimension.substring(0, colon)) {
            case "ci" -> "configuration item";
            default -> dimension.substring(0, colon);
        };
        return kind + " " + dimension.substring(colon + 1);
    }
}
