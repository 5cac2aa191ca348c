package io.bellwether.detect.ticket;

import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.events.SignalKind;

import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.Priority;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ticket as the rules see it at one evaluation: its state, its effective settings and its calendar. What every
 * verdict of the evaluation carries (subject, labels, recent events) is built once per evaluation, not once per rule.
 */
public final class TicketView {
    private final TicketState state;
    private final RuleSet settings;
    private final BusinessCalendar calendar;
    private Subject subject;
    private Map<String, String> labels;
    private List<String> eventIds;

    public TicketView(TicketState state, RuleSet settings, BusinessCalendar calendar) {
        this.state = state;
        this.settings = settings;
        this.calendar = calendar;
    }

    public TicketState state() {
        return state;
    }

    public RuleSet settings() {
        return settings;
    }

    public BusinessCalendar calendar() {
        return calendar;
    }

    public Priority priority() {
        return Priority.valueOf(state.getPriorityLevel());
    }

    public boolean isOpen() {
        return !Statuses.isDone(state.getStatusCategory());
    }

    public String key() {
        return state.getTicketKey();
    }

    /**
     * Whether any signal of the rule is active on this ticket (announced or held back). A rule whose condition does not
     * hold and whose signal is not active has nothing to tell the lifecycle, so it need not build a verdict at all.
     */
    public boolean raised(String ruleId) {
        for (SignalBook book : state.getSignals()) {
            if (book.getActive() && book.getRuleId().equals(ruleId)) {
                return true;
            }
        }
        return false;
    }

    /** A verdict builder for this ticket: its subject, account, labels and recent events filled in. */
    public VerdictBuilder verdict(String ruleId, int version, SignalKind kind) {
        return new VerdictBuilder(ruleId, version, kind, subject()).account(state.getAccountId()).labels(labels()).eventIds(eventIds());
    }

    public Subject subject() {
        if (subject == null) {
            subject = Subject.newBuilder().setType(SubjectType.TICKET).setId(state.getTicketKey()).setName(null).build();
        }
        return subject;
    }

    /** Alertmanager-style routing labels. */
    public Map<String, String> labels() {
        if (labels == null) {
            labels = Map.copyOf(buildLabels());
        }
        return labels;
    }

    private Map<String, String> buildLabels() {
        Map<String, String> labels = new TreeMap<>();
        labels.put("priority", state.getPriorityLevel());
        labels.put("source", state.getTicketKey().substring(0, Math.max(0, state.getTicketKey().indexOf(':'))));
        putIfPresent(labels, "category", state.getCategory());
        putIfPresent(labels, "team", state.getTeam());
        putIfPresent(labels, "assignee", state.getAssignee());
        putIfPresent(labels, "account", state.getAccountName() != null ? state.getAccountName() : state.getAccountId());
        return labels;
    }

    public List<String> eventIds() {
        if (eventIds == null) {
            eventIds = List.copyOf(state.getRecentEventIds());
        }
        return eventIds;
    }

    /** "P2 ticket of ACME, team Service Desk": the context every reason ends with. */
    public String context() {
        StringBuilder out = new StringBuilder(state.getPriorityLevel()).append(" ticket");
        String account = state.getAccountName() != null ? state.getAccountName() : state.getAccountId();
        if (account != null) {
            out.append(" of ").append(account);
        }
        if (state.getTeam() != null) {
            out.append(", team ").append(state.getTeam());
        }
        return out.toString();
    }

    /** Business time in hours and minutes ("32h30m", "45m", "0m"): a business "day" would be ambiguous. */
    public static String human(long millis) {
        long minutes = Math.max(0, millis) / 60_000;
        long hours = minutes / 60;
        return hours == 0 ? minutes + "m" : minutes % 60 == 0 ? hours + "h" : hours + "h" + (minutes % 60) + "m";
    }

    private static void putIfPresent(Map<String, String> labels, String key, String value) {
        if (value != null) {
            labels.put(key, value);
        }
    }
}
