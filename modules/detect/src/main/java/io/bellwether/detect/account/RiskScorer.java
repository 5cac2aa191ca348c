package io.bellwether.detect.account;

import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.ContributingSignal;
import io.bellwether.events.RiskLevel;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An account's risk score: every active signal of the account and its tickets adds its kind's weight times its
 * severity's factor; the sum is capped at 100 and banded into a level. Explainable by construction: the
 * contributors, highest first (the strongest 25), are published with the score.
 */
public final class RiskScorer {
    /** The published record lists the strongest contributors; the score counts them all. */
    static final int MAX_CONTRIBUTORS = 25;

    private RiskScorer() {
    }

    public static AccountRisk score(AccountState state, RuleSet.AccountRisk settings, String owner, long at) {
        List<ContributingSignal> contributors = new ArrayList<>();
        for (SignalNote note : state.getActiveSignals().values()) {
            double points = points(note, settings);
            if (points <= 0) {
                continue;
            }
            contributors.add(ContributingSignal.newBuilder()
                    .setDedupKey(note.getDedupKey())
                    .setKind(SignalKind.valueOf(note.getKind()))
                    .setSeverity(Severity.valueOf(note.getSeverity()))
                    .setSubjectId(note.getSubjectId())
                    .setSince(Instant.ofEpochMilli(note.getFirstRaisedAt()))
                    .setPoints(Math.round(points * 100) / 100.0)
                    .setReason(note.getReason())
                    .build());
        }
        contributors.sort(Comparator.comparingDouble(ContributingSignal::getPoints).reversed()
                .thenComparing(ContributingSignal::getDedupKey));
        double total = contributors.stream().mapToDouble(ContributingSignal::getPoints).sum();
        int all = contributors.size();
        if (all > MAX_CONTRIBUTORS) {
            contributors = new ArrayList<>(contributors.subList(0, MAX_CONTRIBUTORS));
        }
        double score = Math.min(100.0, Math.round(total * 10) / 10.0);
        RiskLevel level = level(score, settings.bands());
        String name = state.getAccountName() != null ? state.getAccountName() : state.getAccountId();
        String reason = contributors.isEmpty() ? name + ": no active risk signals"
                : name + " " + level.name().toLowerCase() + " risk (" + score + "): " + contributors.get(0).getReason()
                + (all > 1 ? " (+" + (all - 1) + " more)" : "");
        return AccountRisk.newBuilder()
                .setAccountId(state.getAccountId())
                .setAccountName(state.getAccountName())
                .setScore(score)
                .setLevel(level)
                .setContributors(contributors)
                .setOpenTickets(state.getOpenTicketCount())
                .setAccountOwner(owner)
                .setReason(reason)
                .setUpdatedAt(Instant.ofEpochMilli(at))
                .build();
    }

    /**
     * What makes a new picture worth publishing: a change of level, of the score by a whole point, of the five
     * strongest contributors or their severity, or of the owner. A busy client's every minor signal is not news.
     */
    static int fingerprint(AccountRisk risk) {
        int h = risk.getLevel().hashCode() * 31 + (int) Math.floor(risk.getScore());
        h = h * 31 + (risk.getAccountOwner() == null ? 0 : risk.getAccountOwner().hashCode());
        for (int i = 0; i < Math.min(5, risk.getContributors().size()); i++) {
            ContributingSignal c = risk.getContributors().get(i);
            h = h * 31 + c.getDedupKey().hashCode();
            h = h * 31 + c.getSeverity().hashCode();
        }
        return h;
    }

    static double points(SignalNote note, RuleSet.AccountRisk settings) {
        return settings.weights().getOrDefault(SignalKind.valueOf(note.getKind()), 0.0)
                * settings.severityFactor().get(Severity.valueOf(note.getSeverity()));
    }

    private static RiskLevel level(double score, Map<String, Double> bands) {
        if (score >= bands.get("CRITICAL")) {
            return RiskLevel.CRITICAL;
        }
        if (score >= bands.get("HIGH")) {
            return RiskLevel.HIGH;
        }
        if (score >= bands.get("MODERATE")) {
            return RiskLevel.MODERATE;
        }
        if (score >= bands.get("LOW") && score > 0) {
            return RiskLevel.LOW;
        }
        return RiskLevel.NONE;
    }
}
