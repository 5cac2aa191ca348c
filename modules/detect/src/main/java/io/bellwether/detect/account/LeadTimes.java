package io.bellwether.detect.account;

import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.RaiseNote;
import io.bellwether.detect.state.TicketFact;
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
 * escalation, within the look-back, about the ticket itself (the ticket stage remembers its first signal and
 * reports each kind of escalation once) or about its account, and how long before.
 */
final class LeadTimes {
    private LeadTimes() {
    }

    static Escalation escalate(AccountState state, TicketFact fact, EscalationKind kind, long lookBack) {
        long at = fact.getAt();
        String firstKey = null;
        String firstKind = null;
        String scope = null;
        Long firstAt = null;
        Set<SignalKind> kinds = new LinkedHashSet<>();
        Long ticketFirst = fact.getFirstSignalAt();
        if (ticketFirst != null && ticketFirst < at && ticketFirst >= at - lookBack) {
            firstAt = ticketFirst;
            firstKind = fact.getFirstSignalKind();
            firstKey = fact.getFirstSignalDedupKey();
            scope = "ticket";
            kinds.add(SignalKind.valueOf(firstKind));
        }
        for (RaiseNote raise : state.getRaises()) {
            if (raise.getAt() < at && raise.getAt() >= at - lookBack) {
                kinds.add(SignalKind.valueOf(raise.getKind()));
                if (firstAt == null || raise.getAt() < firstAt) {
                    firstAt = raise.getAt();
                    firstKind = raise.getKind();
                    firstKey = raise.getDedupKey();
                    scope = "account";
                }
            }
        }
        List<SignalKind> prior = new ArrayList<>(kinds);
        return Escalation.newBuilder()
                .setEscalationId(fact.getTicketKey() + "/" + kind.name() + "/" + Instant.ofEpochMilli(at))
                .setTicketKey(fact.getTicketKey())
                .setAccountId(state.getAccountId())
                .setKind(kind)
                .setEscalatedAt(Instant.ofEpochMilli(at))
                .setAnticipated(firstAt != null)
                .setFirstSignalAt(firstAt == null ? null : Instant.ofEpochMilli(firstAt))
                .setFirstSignalKind(firstKind == null ? null : SignalKind.valueOf(firstKind))
                .setFirstSignalDedupKey(firstKey)
                .setFirstSignalScope(scope)
                .setLeadTimeMillis(firstAt == null ? null : at - firstAt)
                .setPriorSignalKinds(prior)
                .build();
    }
}
