package io.bellwether.replay.backtest;

import io.bellwether.events.RiskSignal;
import io.bellwether.events.SubjectType;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;
import io.bellwether.replay.History;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The report's timeline: the account with the most signals, its tickets' lives and every signal raised about it. */
public final class AccountTimeline {
    private AccountTimeline() {
    }

    /** The account with the most signals: its tickets' lives and every signal about it, for the report's timeline. */
    public static BacktestReport.Timeline busiest(History history, List<RiskSignal> signals) {
        Map<String, Long> perAccount = signals.stream().filter(s -> s.getAccountId() != null)
                .collect(Collectors.groupingBy(RiskSignal::getAccountId, Collectors.counting()));
        String account = perAccount.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(null);
        List<BacktestReport.Mark> marks = new ArrayList<>();
        if (account == null) {
            return new BacktestReport.Timeline("(none)", marks);
        }
        // At most 25 tickets, so the plot stays readable: the account's first ones.
        Set<String> lanes = new java.util.LinkedHashSet<>();
        for (TicketEvent e : history.events()) {
            String key = TicketKeys.ticketKey(e);
            if (!account.equals(e.getAccountId()) || (!lanes.contains(key) && lanes.size() >= 25)) {
                continue;
            }
            lanes.add(key);
            if (e.getEventType() != TicketEventType.UPDATED) {
                marks.add(new BacktestReport.Mark(e.getOccurredAt().toString(), e.getTicketId(), e.getEventType().name(), null));
            }
        }
        signals.stream().filter(s -> account.equals(s.getAccountId()) && s.getState() == io.bellwether.events.SignalState.RAISED)
                .sorted(Comparator.comparing(RiskSignal::getOccurredAt))
                .forEach(s -> {
                    boolean ticket = s.getSubject().getType() == SubjectType.TICKET;
                    String id = s.getSubject().getId();
                    String lane = ticket ? id.substring(id.indexOf(':') + 1) : "(account)";
                    if (!ticket || lanes.contains(id)) {
                        marks.add(new BacktestReport.Mark(s.getOccurredAt().toString(), lane, s.getKind() + ": " + s.getReason(), s.getKind().name()));
                    }
                });
        return new BacktestReport.Timeline(account, marks);
    }
}
