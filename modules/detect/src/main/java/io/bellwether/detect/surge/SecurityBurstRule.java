package io.bellwether.detect.surge;

import io.bellwether.detect.lifecycle.Rule;
import io.bellwether.detect.lifecycle.SignalLifecycle;
import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * SECURITY_BURST: many tickets matching one security indicator from several accounts within a short window is a
 * campaign (a phishing wave, a malware outbreak); several of one account's tickets matching any indicator within a day
 * is an account under attack (MFA resets and unusual logins together). Raised at ERROR, CRITICAL at twice the
 * threshold; over when the window no longer holds enough matches. Counted per ticket: a ticket's later matches of the
 * same key count once.
 */
final class SecurityBurstRule implements Rule<SurgeView> {
    static final String RULE_ID = "security-burst";

    private final Rules.Burst burst;

    SecurityBurstRule(Rules.Burst burst) {
        this.burst = burst;
    }

    /** How long a match counts on this key. */
    long window(String key) {
        return (isAccount(key) ? burst.accountWindow() : burst.window()).toMillis();
    }

    @Override
    public void evaluate(SurgeView view, long at, List<Verdict> out) {
        String key = view.dimension();
        boolean account = isAccount(key);
        long window = window(key);
        int threshold = account ? burst.accountTickets() : burst.tickets();
        List<TicketNote> inWindow = inWindow(view, at, window);
        TreeSet<String> accounts = new TreeSet<>();
        TreeSet<String> indicators = new TreeSet<>();
        for (TicketNote note : inWindow) {
            if (note.getAccountId() != null) {
                accounts.add(note.getAccountId());
            }
            if (note.getWhat() != null) {
                indicators.add(note.getWhat());
            }
        }
        boolean holds = burst.enabled() && inWindow.size() >= threshold && (account || accounts.size() >= burst.minAccounts());
        Subject subject = subject(key);
        SignalBook book = SignalLifecycle.find(view.state().getSignals(), Verdict.dedupKey(RULE_ID, subject));
        if (!holds && (book == null || !book.getActive())) {
            return;
        }
        String span = DurationText.format(account ? burst.accountWindow() : burst.window());
        String reason = !holds
                ? inWindow.size() + " matching tickets in the last " + span + ": the burst is over"
                : account
                ? inWindow.size() + " tickets of account " + subject.getId() + " matched security indicators (" + String.join(", ", indicators)
                + ") in " + span + ": an account under attack?"
                : inWindow.size() + " tickets matched " + subject.getId() + " from " + accounts.size() + " accounts in " + span
                + ": a campaign across clients?";
        List<String> tickets = new ArrayList<>();
        inWindow.forEach(n -> tickets.add(n.getTicketKey()));
        VerdictBuilder verdict = new VerdictBuilder(RULE_ID, burst.version(), SignalKind.SECURITY_BURST, subject)
                .outcome(holds, inWindow.size() >= 2 * threshold ? Severity.CRITICAL : Severity.ERROR, reason)
                .labels(Map.of("dimension", key)).fact("tickets", inWindow.size()).fact("accounts", accounts.size())
                .fact("indicators", String.join(",", indicators)).threshold("window", span).threshold("tickets", threshold)
                .relatedTickets(tickets.size() > 100 ? tickets.subList(tickets.size() - 100, tickets.size()) : tickets)
                .relatedAccounts(new ArrayList<>(accounts));
        if (account) {
            verdict.account(subject.getId());
        } else {
            verdict.threshold("minAccounts", burst.minAccounts());
        }
        out.add(verdict.build());
    }

    /** When the earliest match in the window leaves it. */
    @Override
    public long nextChange(SurgeView view, long at) {
        List<TicketNote> inWindow = inWindow(view, at, window(view.dimension()));
        return inWindow.isEmpty() ? Long.MAX_VALUE : inWindow.get(0).getAt() + window(view.dimension());
    }

    private static List<TicketNote> inWindow(SurgeView view, long at, long window) {
        List<TicketNote> out = new ArrayList<>();
        for (TicketNote note : view.state().getRecent()) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                out.add(note);
            }
        }
        return out;
    }

    private static boolean isAccount(String key) {
        return key.startsWith(Dimensions.SECURITY_ACCOUNT);
    }

    static Subject subject(String key) {
        return isAccount(key)
                ? Subject.newBuilder().setType(SubjectType.ACCOUNT).setId(key.substring(Dimensions.SECURITY_ACCOUNT.length())).setName(null).build()
                : Subject.newBuilder().setType(SubjectType.SECURITY_INDICATOR).setId(key.substring(Dimensions.SECURITY.length())).setName(null).build();
    }
}
