package io.bellwether.detect.account;

import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The per-account rules. REPEAT_FRICTION: N or more tickets opened within the window (WARNING; ERROR when N of
 * them share a category or configuration item), and separately the follow-up pattern: a ticket resolved, then
 * smaller tickets on the same category or CI within the follow-up window. REOPEN_RATE: reopens per resolution in
 * the window at least factor times the account's own norm before it. OWNER_CHURN: the account's tickets changed
 * hands so often, among so many technicians, that nobody holds the whole picture. NO_ACCOUNT_OWNER: the account
 * carries active risk and nobody is accountable for it.
 */
final class AccountRules {
    static final String REPEAT = "repeat-friction";
    static final String FOLLOW_UP = "repeat-follow-up";
    static final String REOPEN_RATE = "reopen-rate";
    static final String NEAR_MISS_RATE = "near-miss-rate";
    static final String CHURN = "owner-churn";
    static final String NO_OWNER = "no-account-owner";
    private static final long DAY = 86_400_000L;

    /** Repeat friction, follow-ups, reopen rate and owner churn: the rules that change with facts and with time. */
    static final Rule<AccountView> FACTS = new Rule<>() {
        @Override
        public void evaluate(AccountView account, long at, List<Verdict> out) {
            AccountRules.evaluate(account, at, out);
        }

        @Override
        public long nextChange(AccountView account, long at) {
            return AccountRules.nextChange(account, at);
        }
    };

    /** No accountable owner while trouble is active: decided last, as it looks at every other active signal. */
    static final Rule<AccountView> OWNER = new Rule<>() {
        @Override
        public void evaluate(AccountView account, long at, List<Verdict> out) {
            addIfAny(out, noAccountOwner(account, at));
        }

        @Override
        public long nextChange(AccountView account, long at) {
            return Long.MAX_VALUE;
        }
    };

    private AccountRules() {
    }

    /** Each rule's verdict; none where the condition does not hold and its signal is not active (nothing to tell). */
    private static void evaluate(AccountView account, long at, List<Verdict> out) {
        addIfAny(out, repeatFriction(account, at));
        addIfAny(out, followUps(account, at));
        addIfAny(out, reopenRate(account, at));
        addIfAny(out, nearMissRate(account, at));
        addIfAny(out, ownerChurn(account, at));
    }

    private static void addIfAny(List<Verdict> out, Verdict verdict) {
        if (verdict != null) {
            out.add(verdict);
        }
    }

    private static long nextChange(AccountView account, long at) {
        RuleSet s = account.settings();
        long next = Long.MAX_VALUE;
        List<TicketNote> opened = account.memos().opened.notes(account.state().getRecentOpened(), at, s.repeatFriction().window().toMillis());
        if (opened.size() >= s.repeatFriction().tickets()) {
            next = Math.min(next, opened.get(opened.size() - s.repeatFriction().tickets()).getAt() + s.repeatFriction().window().toMillis());
        }
        for (TicketNote resolved : account.state().getRecentResolved()) {
            long end = resolved.getAt() + s.repeatFriction().followUpWindow().toMillis();
            if (end > at) {
                next = Math.min(next, end);
            }
        }
        if (!account.state().getDays().isEmpty()) {
            next = Math.min(next, (at / DAY + 1) * DAY);
        }
        List<TicketNote> handoffs = account.memos().handoffs.notes(account.state().getHandoffs(), at, s.ownerChurn().window().toMillis());
        if (!handoffs.isEmpty()) {
            next = Math.min(next, handoffs.get(0).getAt() + s.ownerChurn().window().toMillis());
        }
        return next;
    }

    private static Verdict repeatFriction(AccountView account, long at) {
        RuleSet.RepeatFriction rule = account.settings().repeatFriction();
        List<TicketNote> opened = rule.enabled() ? account.memos().opened.notes(account.state().getRecentOpened(), at, rule.window().toMillis()) : List.of();
        if ((!rule.enabled() || opened.size() < rule.tickets()) && !account.raised(REPEAT)) {
            return null;
        }
        VerdictBuilder v = account.verdict(REPEAT, rule.version(), SignalKind.REPEAT_FRICTION)
                .threshold("tickets", rule.tickets()).threshold("window", DurationText.format(rule.window()));
        if (!rule.enabled()) {
            return v.inactive("Rule disabled").build();
        }
        if (opened.size() < rule.tickets()) {
            return v.inactive(opened.size() + " tickets in " + DurationText.format(rule.window())).fact("tickets", opened.size()).build();
        }
        Shared shared = account.memos().opened.get(account.state().getRecentOpened(), at, rule.window().toMillis(), AccountRules::mostShared);
        boolean stronger = shared.count() >= rule.tickets();
        v.fact("tickets", opened.size()).fact("shared", shared.count()).fact("sharedOn", shared.what()).relatedTickets(AccountView.newest(keys(opened)));
        String reason = account.name() + " opened " + opened.size() + " tickets in " + DurationText.format(rule.window())
                + (shared.count() > 1 ? ", " + shared.count() + " on " + shared.what() : "");
        return v.active(stronger ? Severity.ERROR : Severity.WARNING, reason).build();
    }

    /**
     * An account's openings in time order with their index, kept while the list of openings is the same: the follow-up
     * rule is judged with every fact, and a busy client's openings change with only some of them.
     */
    static final class Openings {
        private final ListVersion version = new ListVersion();
        private List<TicketNote> sorted;
        private OpeningIndex index;

        Openings of(List<TicketNote> notes) {
            if (!version.same(notes) || sorted == null) {
                sorted = inTimeOrder(notes);
                if (sorted == notes) {
                    // The state's own list changes with the next fact; this memo must not.
                    sorted = new ArrayList<>(notes);
                }
                index = new OpeningIndex(sorted);
            }
            return this;
        }
    }

    /** The notes by time, ties in their recorded order; the list itself when it already is (the usual case). */
    private static List<TicketNote> inTimeOrder(List<TicketNote> notes) {
        for (int i = 1; i < notes.size(); i++) {
            if (notes.get(i).getAt() < notes.get(i - 1).getAt()) {
                List<TicketNote> sorted = new ArrayList<>(notes);
                sorted.sort(java.util.Comparator.comparingLong(TicketNote::getAt));
                return sorted;
            }
        }
        return notes;
    }

    /** Index of the first note strictly after {@code at} in a time-ordered list. */
    private static int firstAfter(List<TicketNote> notes, long at) {
        int low = 0;
        int high = notes.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (notes.get(mid).getAt() <= at) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static Verdict followUps(AccountView account, long at) {
        RuleSet.RepeatFriction rule = account.settings().repeatFriction();
        if (!rule.enabled()) {
            return account.raised(FOLLOW_UP) ? followUpVerdict(account, rule).inactive("Rule disabled").build() : null;
        }
        long window = rule.followUpWindow().toMillis();
        FollowUp best = account.memos().followUps.of(account, at, window);
        TicketNote bestResolved = best == null ? null : best.resolved();
        List<TicketNote> bestFollowers = best == null ? List.of() : best.followers();
        if (bestResolved == null || bestFollowers.size() < rule.followUps()) {
            return account.raised(FOLLOW_UP) ? followUpVerdict(account, rule).inactive("No follow-up pattern").build() : null;
        }
        VerdictBuilder v = followUpVerdict(account, rule);
        TicketNote origin = bestResolved;
        String on = origin.getCategory() != null && bestFollowers.stream().allMatch(f -> Objects.equals(f.getCategory(), origin.getCategory()))
                ? "category " + origin.getCategory() : "configuration item " + origin.getConfigurationItem();
        List<String> tickets = new ArrayList<>();
        tickets.add(bestResolved.getTicketKey());
        tickets.addAll(keys(bestFollowers));
        v.fact("resolvedTicket", bestResolved.getTicketKey()).fact("followUps", bestFollowers.size()).relatedTickets(AccountView.newest(tickets));
        return v.active(Severity.WARNING, bestFollowers.size() + " smaller tickets on " + on + " followed the resolution of "
                + bestResolved.getTicketKey() + " at " + account.name()).build();
    }

    /** The resolution most smaller tickets followed, and those tickets in time order. */
    record FollowUp(TicketNote resolved, List<TicketNote> followers) {
    }

    /**
     * The best follow-up pattern at a moment, kept while it cannot have changed: the account's openings and resolutions are
     * the same, no resolution has entered or left its window, and no opening has reached its moment since.
     */
    static final class FollowUps {
        private final ListVersion opened = new ListVersion();
        private final ListVersion resolved = new ListVersion();
        private long from;
        private long until;
        private long window;
        private FollowUp value;

        FollowUp of(AccountView account, long at, long window) {
            List<TicketNote> openings = account.state().getRecentOpened();
            List<TicketNote> resolutions = account.state().getRecentResolved();
            boolean same = opened.same(openings) & resolved.same(resolutions);
            if (same && this.window == window && at >= from && at < until) {
                return value;
            }
            long next = Long.MAX_VALUE;
            for (TicketNote r : resolutions) {
                if (r.getAt() > at) {
                    next = Math.min(next, r.getAt());
                } else if (r.getAt() + window > at) {
                    next = Math.min(next, r.getAt() + window);
                }
            }
            for (TicketNote o : openings) {
                if (o.getAt() > at) {
                    next = Math.min(next, o.getAt());
                }
            }
            this.window = window;
            from = at;
            until = next;
            value = bestFollowUp(account, resolutions, at, window);
            return value;
        }
    }

    /** A list's identity and ends, to tell whether it changed since (lists are appended to and trimmed, never edited in place). */
    static final class ListVersion {
        private List<TicketNote> list;
        private int size;
        private TicketNote first;
        private TicketNote last;

        /** Whether {@code notes} is the list last seen, unchanged; remembers it either way. */
        boolean same(List<TicketNote> notes) {
            int n = notes.size();
            boolean same = list == notes && size == n && (n == 0 || notes.get(0) == first && notes.get(n - 1) == last);
            list = notes;
            size = n;
            first = n == 0 ? null : notes.get(0);
            last = n == 0 ? null : notes.get(n - 1);
            return same;
        }
    }

    private static FollowUp bestFollowUp(AccountView account, List<TicketNote> resolutions, long at, long window) {
        List<TicketNote> opened = null;
        OpeningIndex index = null;
        TicketNote bestResolved = null;
        List<TicketNote> bestFollowers = List.of();
        for (TicketNote resolved : resolutions) {
            if (resolved.getAt() + window <= at || resolved.getAt() > at) {
                continue;
            }
            if (opened == null) {
                // Sorted and indexed once per change of the openings, and only when a resolution is inside its window.
                Openings openings = account.memos().openings.of(account.state().getRecentOpened());
                opened = openings.sorted;
                index = openings.index;
            }
            int resolvedRank = rank(resolved.getPriorityLevel());
            long until = Math.min(at, resolved.getAt() + window);
            int from = firstAfter(opened, resolved.getAt());
            int to = firstAfter(opened, until);
            if (to - from <= bestFollowers.size() || index.sharing(resolved, from, to) <= bestFollowers.size()
                    || candidates(opened, from, to, resolved, resolvedRank) <= bestFollowers.size()) {
                // No more possible followers in its window than the best pattern already has: it cannot be the best.
                continue;
            }
            Set<String> seen = new HashSet<>();
            List<TicketNote> followers = new ArrayList<>();
            // Same category first, then same configuration item: the order the evidence lists them in.
            for (boolean byCategory : new boolean[] {true, false}) {
                String issue = byCategory ? resolved.getCategory() : resolved.getConfigurationItem();
                if (issue == null) {
                    continue;
                }
                for (int i = from; i < to; i++) {
                    TicketNote candidate = opened.get(i);
                    if (issue.equals(byCategory ? candidate.getCategory() : candidate.getConfigurationItem())
                            && !candidate.getTicketKey().equals(resolved.getTicketKey())
                            && rank(candidate.getPriorityLevel()) >= resolvedRank && seen.add(candidate.getTicketKey())) {
                        followers.add(candidate);
                    }
                }
            }
            if (followers.size() > bestFollowers.size()) {
                followers.sort(java.util.Comparator.comparingLong(TicketNote::getAt));
                bestResolved = resolved;
                bestFollowers = followers;
            }
        }
        return bestResolved == null ? null : new FollowUp(bestResolved, List.copyOf(bestFollowers));
    }

    /**
     * Where each category and configuration item was opened (positions in the time-ordered openings), so that how many
     * openings in a window share a resolved ticket's category or item is two binary searches, not a scan.
     */
    private static final class OpeningIndex {
        private final Map<String, List<Integer>> byCategory = new HashMap<>();
        private final Map<String, List<Integer>> byItem = new HashMap<>();

        OpeningIndex(List<TicketNote> opened) {
            for (int i = 0; i < opened.size(); i++) {
                TicketNote note = opened.get(i);
                if (note.getCategory() != null) {
                    byCategory.computeIfAbsent(note.getCategory(), c -> new ArrayList<>()).add(i);
                }
                if (note.getConfigurationItem() != null) {
                    byItem.computeIfAbsent(note.getConfigurationItem(), c -> new ArrayList<>()).add(i);
                }
            }
        }

        /** Openings in [from, to) on the same category plus those on the same item: never fewer than its followers. */
        int sharing(TicketNote resolved, int from, int to) {
            return in(byCategory.get(resolved.getCategory()), from, to) + in(byItem.get(resolved.getConfigurationItem()), from, to);
        }

        private static int in(List<Integer> positions, int from, int to) {
            return positions == null ? 0 : lowerBound(positions, to) - lowerBound(positions, from);
        }

        private static int lowerBound(List<Integer> positions, int value) {
            int low = 0;
            int high = positions.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (positions.get(mid) < value) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }

    /**
     * How many of the openings in [from, to) could follow {@code resolved} (same category or configuration item, not
     * the ticket itself, no more urgent): an upper bound on its followers, counted without building anything.
     */
    private static int candidates(List<TicketNote> opened, int from, int to, TicketNote resolved, int resolvedRank) {
        String category = resolved.getCategory();
        String item = resolved.getConfigurationItem();
        int count = 0;
        for (int i = from; i < to; i++) {
            TicketNote candidate = opened.get(i);
            if ((category != null && category.equals(candidate.getCategory()) || item != null && item.equals(candidate.getConfigurationItem()))
                    && !candidate.getTicketKey().equals(resolved.getTicketKey()) && rank(candidate.getPriorityLevel()) >= resolvedRank) {
                count++;
            }
        }
        return count;
    }

    private static VerdictBuilder followUpVerdict(AccountView account, RuleSet.RepeatFriction rule) {
        return account.verdict(FOLLOW_UP, rule.version(), SignalKind.REPEAT_FRICTION)
                .threshold("followUps", rule.followUps()).threshold("followUpWindow", DurationText.format(rule.followUpWindow()));
    }

    private static Verdict reopenRate(AccountView account, long at) {
        RuleSet.ReopenRate rule = account.settings().reopenRate();
        if (!rule.enabled()) {
            return account.raised(REOPEN_RATE) ? reopenRateVerdict(account, rule).inactive("Rule disabled").build() : null;
        }
        Rates rates = Rates.of(account.state().getDays(), at, rule.window(), rule.baseline());
        int resolved = rates.resolved();
        int reopened = rates.reopened();
        double rate = rates.reopenRate();
        double norm = rates.baseReopenRate();
        double bar = Math.max(rule.minRate(), rule.factor() * norm);
        boolean holds = resolved >= rule.minResolved() && reopened >= rule.minReopens() && rate >= bar;
        if (!holds && !account.raised(REOPEN_RATE)) {
            return null;
        }
        VerdictBuilder v = reopenRateVerdict(account, rule);
        v.fact("reopens", reopened).fact("resolutions", resolved).fact("rate", round(rate)).fact("norm", round(norm));
        if (!holds) {
            return v.inactive("Reopen rate " + percent(rate) + " (norm " + percent(norm) + ")").build();
        }
        return v.active(rate >= 2 * bar ? Severity.ERROR : Severity.WARNING, account.name() + " reopen rate " + percent(rate) + " ("
                + reopened + " of " + resolved + " resolutions in " + DurationText.format(rule.window()) + ") against a norm of "
                + percent(norm)).build();
    }

    private static VerdictBuilder reopenRateVerdict(AccountView account, RuleSet.ReopenRate rule) {
        return account.verdict(REOPEN_RATE, rule.version(), SignalKind.REOPEN_RATE)
                .threshold("window", DurationText.format(rule.window())).threshold("factor", rule.factor())
                .threshold("minRate", rule.minRate()).threshold("minResolved", rule.minResolved()).threshold("minReopens", rule.minReopens());
    }

    /** NEAR_MISS_RATE: resolutions within SLA but past its near-miss fraction, far above the account's own share. */
    private static Verdict nearMissRate(AccountView account, long at) {
        RuleSet.NearMissRate rule = account.settings().nearMissRate();
        if (!rule.enabled()) {
            return account.raised(NEAR_MISS_RATE) ? nearMissVerdict(account, rule).inactive("Rule disabled").build() : null;
        }
        Rates rates = Rates.of(account.state().getDays(), at, rule.window(), rule.baseline());
        boolean holds = rates.nearMissHolds(rule);
        if (!holds && !account.raised(NEAR_MISS_RATE)) {
            return null;
        }
        VerdictBuilder v = nearMissVerdict(account, rule).facts(rates.nearMissFacts());
        if (!holds) {
            return v.inactive(rates.nearMissQuiet()).build();
        }
        return v.active(rates.nearMissSeverity(rule), account.name() + " " + rates.nearMissStory(rule)).build();
    }

    private static VerdictBuilder nearMissVerdict(AccountView account, RuleSet.NearMissRate rule) {
        return account.verdict(NEAR_MISS_RATE, rule.version(), SignalKind.NEAR_MISS_RATE).thresholds(Rates.nearMissThresholds(rule));
    }

    private static Verdict ownerChurn(AccountView account, long at) {
        RuleSet.OwnerChurn rule = account.settings().ownerChurn();
        if (!rule.enabled()) {
            return account.raised(CHURN) ? churnVerdict(account, rule).inactive("Rule disabled").build() : null;
        }
        Churn churn = account.memos().handoffs.get(account.state().getHandoffs(), at, rule.window().toMillis(), AccountRules::churn);
        Set<String> tickets = churn.tickets();
        int technicians = churn.technicians();
        int handoffs = churn.handoffs();
        boolean holds = tickets.size() >= rule.minTickets() && technicians >= rule.minTechnicians()
                && handoffs >= rule.handoffsPerTicket() * tickets.size();
        if (!holds && !account.raised(CHURN)) {
            return null;
        }
        VerdictBuilder v = churnVerdict(account, rule);
        v.fact("tickets", tickets.size()).fact("technicians", technicians).fact("handoffs", handoffs);
        if (!holds) {
            return v.inactive("Ownership continuity normal").build();
        }
        v.relatedTickets(AccountView.newest(new ArrayList<>(tickets)));
        return v.active(Severity.WARNING, account.name() + "'s " + tickets.size() + " tickets changed hands " + handoffs + " times among "
                + technicians + " technicians in " + DurationText.format(rule.window())).build();
    }

    private static VerdictBuilder churnVerdict(AccountView account, RuleSet.OwnerChurn rule) {
        return account.verdict(CHURN, rule.version(), SignalKind.OWNER_CHURN)
                .threshold("window", DurationText.format(rule.window())).threshold("minTickets", rule.minTickets())
                .threshold("handoffsPerTicket", rule.handoffsPerTicket()).threshold("minTechnicians", rule.minTechnicians());
    }

    /** Open risk with nobody accountable; looks for a new owner every recheck period while it holds. */
    static Verdict noAccountOwner(AccountView account, long at) {
        RuleSet.NoAccountOwner rule = account.settings().noAccountOwner();
        boolean raised = account.raised(NO_OWNER);
        if ((!rule.enabled() || account.owner() != null) && !raised) {
            return null;
        }
        VerdictBuilder v = account.verdict(NO_OWNER, rule.version(), SignalKind.NO_ACCOUNT_OWNER)
                .threshold("minSeverity", rule.minSeverity());
        if (!rule.enabled()) {
            return v.inactive("Rule disabled").build();
        }
        if (account.owner() != null) {
            return v.inactive("Owned by " + account.owner()).fact("owner", account.owner()).build();
        }
        List<SignalNote> risky = new ArrayList<>();
        for (SignalNote note : account.state().getActiveSignals().values()) {
            if (!note.getKind().equals(SignalKind.NO_ACCOUNT_OWNER.name())
                    && Severity.valueOf(note.getSeverity()).ordinal() >= rule.minSeverity().ordinal()) {
                risky.add(note);
            }
        }
        if (risky.isEmpty()) {
            return raised ? v.inactive("No active risk").build() : null;
        }
        if (account.wouldStayQuiet(NO_OWNER, true, Severity.WARNING, Map.of("activeSignals", String.valueOf(risky.size())))) {
            // Announced, and still the same count: the reason and evidence would be built to be dropped.
            return null;
        }
        risky.sort(Comparator.comparing(SignalNote::getDedupKey));
        List<String> tickets = new ArrayList<>();
        risky.forEach(n -> {
            if (n.getTicketKey() != null) {
                tickets.add(n.getTicketKey());
            }
        });
        v.fact("activeSignals", risky.size()).relatedTickets(AccountView.newest(tickets));
        return v.active(Severity.WARNING, account.name() + " has " + risky.size() + " active risk signal" + (risky.size() == 1 ? "" : "s")
                + " (" + risky.get(0).getKind() + ": " + risky.get(0).getReason() + ") and no accountable account owner").build();
    }

    /** The category or configuration item most openings share, and how many. */
    record Shared(int count, String what) {
    }

    /** An account's hand-overs in the churn window: the tickets (in order first handed), the technicians, the hand-offs. */
    record Churn(Set<String> tickets, int technicians, int handoffs) {
    }

    private static Churn churn(List<TicketNote> notes) {
        Set<String> tickets = new LinkedHashSet<>();
        Set<String> technicians = new HashSet<>();
        int handoffs = 0;
        for (TicketNote note : notes) {
            tickets.add(note.getTicketKey());
            technicians.add(note.getWho());
            if ("handoff".equals(note.getWhat())) {
                handoffs++;
            }
        }
        return new Churn(java.util.Collections.unmodifiableSet(tickets), technicians.size(), handoffs);
    }

    /**
     * The category or configuration item most of the notes share; ties go to categories, then to the name first in order
     * (as comparing "category X" and "configuration item Y" would). Counted without building those strings per note.
     */
    private static Shared mostShared(List<TicketNote> notes) {
        Map<String, Integer> categories = new HashMap<>();
        Map<String, Integer> items = new HashMap<>();
        for (TicketNote note : notes) {
            if (note.getCategory() != null) {
                categories.merge(note.getCategory(), 1, Integer::sum);
            }
            if (note.getConfigurationItem() != null) {
                items.merge(note.getConfigurationItem(), 1, Integer::sum);
            }
        }
        Map.Entry<String, Integer> category = best(categories);
        Map.Entry<String, Integer> item = best(items);
        if (category == null && item == null) {
            return new Shared(0, null);
        }
        if (item == null || category != null && category.getValue() >= item.getValue()) {
            return new Shared(category.getValue(), "category " + category.getKey());
        }
        return new Shared(item.getValue(), "configuration item " + item.getKey());
    }

    /** The most frequent name, the first in order among equals. */
    private static Map.Entry<String, Integer> best(Map<String, Integer> counts) {
        Map.Entry<String, Integer> best = null;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (best == null || e.getValue() > best.getValue() || e.getValue().equals(best.getValue()) && e.getKey().compareTo(best.getKey()) < 0) {
                best = e;
            }
        }
        return best;
    }

    /** P1 is 1 (most urgent); unknown counts as least urgent. */
    private static int rank(String priority) {
        return priority.length() == 2 && priority.charAt(0) == 'P' ? priority.charAt(1) - '0' : 9;
    }

    private static List<String> keys(List<TicketNote> notes) {
        List<String> keys = new ArrayList<>(notes.size());
        notes.forEach(n -> keys.add(n.getTicketKey()));
        return keys;
    }

    private static String percent(double rate) {
        return Math.round(rate * 100) + "%";
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
