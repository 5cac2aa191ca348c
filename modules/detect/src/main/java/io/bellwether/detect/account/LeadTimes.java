package io.bellwether.detect.account;

import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.RaiseNote;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.events.Escalation;
import io.bellwether.events.EscalationKind;
import io.bellwether.events.SignalKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lead time: when a ticket escalates, did Bellwether see it coming? The earliest signal raised before the
 * escalation, within the look-back, about the ticket itself or its account, and how long before. Each
 * (ticket, kind of escalation) is reported once.
 */
final class LeadTimes {
    private static final int MAX_REPORTED = 200;

    private LeadTimes() {
    }

    /** The escalation record, or null when this (ticket, kind) was already reported. */
    static Escalation escalate(AccountState state, String ticketKey, EscalationKind kind, long at, long lookBack) {
        for (TicketNote reported : state.getEscalations()) {
            if (reported.getTicketKey().equals(ticketKey) && kind.name().equals(reported.getWhat())) {
                return null;
            }
        }
        RaiseNote first = null;
        Set<SignalKind> kinds = new LinkedHashSet<>();
        for (RaiseNote raise : state.getRaises()) {
            boolean relevant = raise.getTicketKey() == null || raise.getTicketKey().equals(ticketKey);
            if (relevant && raise.getAt() < at && raise.getAt() >= at - lookBack) {
                kinds.add(SignalKind.valueOf(raise.getKind()));
                if (first == null || raise.getAt() < first.getAt()) {
                    first = raise;
                }
            }
        }
        List<TicketNote> reported = state.getEscalations();
        reported.add(TicketNote.newBuilder().setTicketKey(ticketKey).setAt(at).setAccountId(state.getAccountId()).setCategory(null)
                .setConfigurationItem(null).setPriorityLevel("UNKNOWN").setWho(null).setWhat(kind.name()).build());
        while (reported.size() > MAX_REPORTED) {
            reported.remove(0);
        }
        return Escalation.newBuilder()
                .setEscalationId(ticketKey + "/" + kind.name() + "/" + Instant.ofEpochMilli(at))
                .setTicketKey(ticketKey)
                .setAccountId(state.getAccountId())
                .setKind(kind)
                .setEscalatedAt(Instant.ofEpochMilli(at))
                .setAnticipated(first != null)
                .setFirstSignalAt(first == null ? null : Instant.ofEpochMilli(first.getAt()))
                .setFirstSignalKind(first == null ? null : SignalKind.valueOf(first.getKind()))
                .setFirstSignalDedupKey(first == null ? null : first.getDedupKey())
                .setFirstSignalScope(first == null ? null : first.getTicketKey() == null ? "account" : "ticket")
                .setLeadTimeMillis(first == null ? null : at - first.getAt())
                .setPriorSignalKinds(new ArrayList<>(kinds))
                .build();
    }
}
