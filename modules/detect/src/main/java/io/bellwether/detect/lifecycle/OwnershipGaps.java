package io.bellwether.detect.lifecycle;

import io.bellwether.detect.state.OwnerStep;
import io.bellwether.events.OwnerChange;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.OwnershipGapType;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns the ownership kinds of risk signal into their OwnershipGap record, with the owner history added. */
public final class OwnershipGaps {
    private OwnershipGaps() {
    }

    /** The gap type of an ownership signal kind, or null for other kinds. */
    public static OwnershipGapType typeOf(SignalKind kind) {
        return switch (kind) {
            case UNASSIGNED -> OwnershipGapType.UNASSIGNED;
            case PING_PONG -> OwnershipGapType.PING_PONG;
            case OWNER_CHURN -> OwnershipGapType.OWNER_CHURN;
            case NO_ACCOUNT_OWNER -> OwnershipGapType.NO_ACCOUNT_OWNER;
            default -> null;
        };
    }

    public static OwnershipGap from(RiskSignal signal, String owner, String team, List<OwnerStep> history, long gapSince) {
        List<OwnerChange> changes = new ArrayList<>();
        String previousPerson = null;
        String previousTeam = null;
        for (OwnerStep step : history) {
            boolean person = step.getLevel().equals("person");
            changes.add(OwnerChange.newBuilder().setAt(Instant.ofEpochMilli(step.getAt())).setLevel(step.getLevel())
                    .setFrom(person ? previousPerson : previousTeam).setTo(step.getOwner()).build());
            if (person) {
                previousPerson = step.getOwner();
            } else {
                previousTeam = step.getOwner();
            }
        }
        return OwnershipGap.newBuilder()
                .setDedupKey(signal.getDedupKey())
                .setGapType(typeOf(signal.getKind()))
                .setState(signal.getState())
                .setSubject(signal.getSubject())
                .setAccountId(signal.getAccountId())
                .setCurrentOwner(owner)
                .setCurrentTeam(team)
                .setOwnerHistory(changes)
                .setGapSince(Instant.ofEpochMilli(gapSince))
                .setOccurredAt(signal.getOccurredAt())
                .setRuleId(signal.getRuleId())
                .setRuleVersion(signal.getRuleVersion())
                .setReason(signal.getReason())
                .setEventIds(new ArrayList<>(signal.getEvidence().getEventIds()))
                .setFacts(signal.getEvidence().getFacts())
                .build();
    }
}
