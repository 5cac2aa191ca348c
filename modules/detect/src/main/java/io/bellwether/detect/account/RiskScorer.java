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

    /** One active signal's share of the score, before any record is built. */
    private record Share(SignalNote note, double points) {
    }

    /**
     * The account's picture before anything is built: its contributors, strongest first, the score and the level. The
     * account stage judges it with every signal transition of the account; it builds the published record only when the
     * picture changed ({@link #fingerprint}).
     */
    static final class Picture {
        private final List<Share> shares;
        private final int all;
        private final double score;
        private final RiskLevel level;

        private Picture(List<Share> shares, double total, Map<String, Double> bands) {
            this.shares = shares;
            this.all = shares.size();
            this.score = Math.min(100.0, Math.round(total * 10) / 10.0);
            this.level = level(score, bands);
        }

        /** What makes a new picture worth publishing (see {@link RiskScorer#fingerprint(AccountRisk)}); the same value. */
        int fingerprint(String owner) {
            int h = level.name().hashCode() * 31 + (int) Math.floor(score);
            h = h * 31 + (owner == null ? 0 : owner.hashCode());
            for (int i = 0; i < Math.min(5, shares.size()); i++) {
                SignalNote note = shares.get(i).note();
                h = h * 31 + note.getDedupKey().hashCode();
                h = h * 31 + note.getSeverity().hashCode();
            }
            return h;
        }
    }

    static Picture picture(AccountState state, RuleSet.AccountRisk settings) {
        List<Share> shares = new ArrayList<>(state.getActiveSignals().size());
        for (SignalNote note : state.getActiveSignals().values()) {
            double points = points(note, settings);
            if (points > 0) {
                shares.add(new Share(note, Math.round(points * 100) / 100.0));
            }
        }
        shares.sort(Comparator.comparingDouble(Share::points).reversed().thenComparing(share -> share.note().getDedupKey()));
        // Summed as a stream sums (compensated), so the score is exactly what it always was.
        double total = shares.stream().mapToDouble(Share::points).sum();
        return new Picture(shares, total, settings.bands());
    }

    public static AccountRisk score(AccountState state, RuleSet.AccountRisk settings, String owner, long at) {
        return record(state, picture(state, settings), owner, at);
    }

    /** The published record of a picture. */
    static AccountRisk record(AccountState state, Picture picture, String owner, long at) {
        List<ContributingSignal> contributors = new ArrayList<>(Math.min(MAX_CONTRIBUTORS, picture.all));
        for (Share share : picture.shares.subList(0, Math.min(MAX_CONTRIBUTORS, picture.all))) {
            SignalNote note = share.note();
            contributors.add(new ContributingSignal(note.getDedupKey(), SignalKind.valueOf(note.getKind()), Severity.valueOf(note.getSeverity()),
                    note.getSubjectId(), Instant.ofEpochMilli(note.getFirstRaisedAt()), share.points(), note.getReason()));
        }
        String name = state.getAccountName() != null ? state.getAccountName() : state.getAccountId();
        String reason = contributors.isEmpty() ? name + ": no active risk signals"
                : name + " " + picture.level.name().toLowerCase() + " risk (" + picture.score + "): " + contributors.get(0).getReason()
                + (picture.all > 1 ? " (+" + (picture.all - 1) + " more)" : "");
        return AccountRisk.newBuilder()
                .setAccountId(state.getAccountId())
                .setAccountName(state.getAccountName())
                .setScore(picture.score)
                .setLevel(picture.level)
                .setContributors(contributors)
                .setOpenTickets(state.getOpenTicketCount())
                .setAccountOwner(owner)
                .setReason(reason)
                .setUpdatedAt(Instant.ofEpochMilli(at))
                .build();
    }

    /**
     * What makes a new picture worth publishing: a change of level, of the score by a whole point, of the five
     * strongest contributors or their severity, or of the owner. A busy client's every minor signal is not news. Built
     * from names, not enum identities, so the value kept in the account's state means the same after a restart.
     */
    static int fingerprint(AccountRisk risk) {
        int h = risk.getLevel().name().hashCode() * 31 + (int) Math.floor(risk.getScore());
        h = h * 31 + (risk.getAccountOwner() == null ? 0 : risk.getAccountOwner().hashCode());
        for (int i = 0; i < Math.min(5, risk.getContributors().size()); i++) {
            ContributingSignal c = risk.getContributors().get(i);
            h = h * 31 + c.getDedupKey().hashCode();
            h = h * 31 + c.getSeverity().name().hashCode();
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
