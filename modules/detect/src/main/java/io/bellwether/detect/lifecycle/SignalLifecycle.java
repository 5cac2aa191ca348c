package io.bellwether.detect.lifecycle;

import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SignalBook;
import io.bellwether.events.Evidence;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The alert lifecycle, as Alertmanager and PagerDuty users expect it: one dedup key per (rule, subject);
 * RAISED when its condition starts to hold, UPDATED when the severity changes (at once) or its facts change
 * (at most once per minimum update interval) or as a reminder every repeat interval, RESOLVED when it stops.
 * A silenced or inhibited condition is tracked but not announced; it is raised when the silence or surge ends
 * and it still holds. Once someone acknowledges a raise, its later transitions carry who, when and why.
 */
public final class SignalLifecycle {
    private final long minUpdateMillis;
    private final long repeatMillis;
    private final Silences silences;
    private final Acknowledgements acks;
    private final DetectMetrics metrics;

    public SignalLifecycle(Rules.Lifecycle settings, Silences silences, Acknowledgements acks, DetectMetrics metrics) {
        this.minUpdateMillis = settings.minUpdateInterval().toMillis();
        this.repeatMillis = settings.repeatInterval().toMillis();
        this.silences = silences;
        this.acks = acks;
        this.metrics = metrics;
    }

    /** Reconciles {@code verdict} at {@code at} with the entity's bookkeeping; returns the transition to publish. */
    public Optional<RiskSignal> apply(List<SignalBook> books, Verdict verdict, long at) {
        SignalBook book = find(books, verdict.dedupKey());
        if (!verdict.active()) {
            if (book == null || !book.getActive()) {
                return Optional.empty();
            }
            book.setActive(false);
            book.setSuppressedBy(null);
            if (!book.getEmitted()) {
                return Optional.empty();
            }
            book.setEmitted(false);
            return Optional.of(publish(book, verdict, SignalState.RESOLVED, Severity.valueOf(book.getSeverity()), at));
        }

        String suppressor = verdict.inhibitedBy() != null ? verdict.inhibitedBy() : silences.match(verdict, at);
        int factsHash = verdict.facts().hashCode();
        if (book == null) {
            book = SignalBook.newBuilder().setDedupKey(verdict.dedupKey()).setRuleId(verdict.ruleId())
                    .setKind(verdict.kind().name()).setSeverity(verdict.severity().name()).setActive(false).setEmitted(false)
                    .setIncarnation(0).setSequence(0).setFirstRaisedAt(at).setLastEmittedAt(at).setFactsHash(factsHash).build();
            books.add(book);
        }
        if (!book.getActive()) {
            book.setActive(true);
            book.setIncarnation(book.getIncarnation() + 1);
            book.setSequence(0);
            book.setEmitted(false);
            book.setFirstRaisedAt(at);
        }
        if (!book.getEmitted()) {
            book.setSeverity(verdict.severity().name());
            book.setFactsHash(factsHash);
            if (suppressor != null) {
                if (!suppressor.equals(book.getSuppressedBy())) {
                    metrics.suppressed(suppressor.startsWith("silence:") ? "silence" : "inhibition");
                }
                book.setSuppressedBy(suppressor);
                return Optional.empty();
            }
            book.setSuppressedBy(null);
            book.setEmitted(true);
            book.setFirstRaisedAt(at);
            return Optional.of(publish(book, verdict, SignalState.RAISED, verdict.severity(), at));
        }
        if (suppressor != null && suppressor.startsWith("silence:")) {
            return Optional.empty();
        }
        boolean severityChanged = !verdict.severity().name().equals(book.getSeverity());
        boolean factsChanged = factsHash != book.getFactsHash() && at - book.getLastEmittedAt() >= minUpdateMillis;
        boolean reminder = repeatMillis > 0 && at - book.getLastEmittedAt() >= repeatMillis;
        if (!severityChanged && !factsChanged && !reminder) {
            return Optional.empty();
        }
        book.setSeverity(verdict.severity().name());
        book.setFactsHash(factsHash);
        return Optional.of(publish(book, verdict, SignalState.UPDATED, verdict.severity(), at));
    }

    /**
     * Whether a verdict with this outcome would change nothing at {@code at}: no transition, and no bookkeeping either.
     * True only where {@link #apply} would return nothing and leave the book as it is (an announced signal that still
     * holds with the same severity and facts, or whose changed facts are within the minimum update interval, with no
     * reminder due; or a condition that does not hold for a signal that is not active). A rule whose verdict is costly to
     * build (a busy team's ticket lists) asks first, and builds it only when it may matter.
     */
    public boolean wouldStayQuiet(List<SignalBook> books, String dedupKey, boolean active, String severity, int factsHash, long at) {
        SignalBook book = find(books, dedupKey);
        if (!active) {
            return book == null || !book.getActive();
        }
        if (book == null || !book.getActive() || !book.getEmitted() || book.getSuppressedBy() != null) {
            return false;
        }
        boolean factsChanged = factsHash != book.getFactsHash() && at - book.getLastEmittedAt() >= minUpdateMillis;
        boolean reminder = repeatMillis > 0 && at - book.getLastEmittedAt() >= repeatMillis;
        return severity.equals(book.getSeverity()) && !factsChanged && !reminder;
    }

    /** The next moment a reminder or a silence's end needs this entity looked at again, or Long.MAX_VALUE. */
    public long nextLifecycleMoment(List<SignalBook> books, List<Verdict> verdicts, long at) {
        long next = Long.MAX_VALUE;
        for (SignalBook book : books) {
            if (book.getActive() && book.getEmitted() && repeatMillis > 0) {
                next = Math.min(next, book.getLastEmittedAt() + repeatMillis);
            }
        }
        for (Verdict verdict : verdicts) {
            SignalBook book = find(books, verdict.dedupKey());
            if (book != null && book.getActive() && book.getSuppressedBy() != null && book.getSuppressedBy().startsWith("silence:")) {
                next = Math.min(next, silences.coveredUntil(verdict, at));
            }
        }
        return next;
    }

    /** Drops bookkeeping of inactive dedup keys beyond the newest few, so long-lived entities stay small. */
    public static void prune(List<SignalBook> books, int keepInactive) {
        int inactive = 0;
        for (int i = books.size() - 1; i >= 0; i--) {
            if (!books.get(i).getActive() && ++inactive > keepInactive) {
                books.remove(i);
            }
        }
    }

    public static SignalBook find(List<SignalBook> books, String dedupKey) {
        for (SignalBook book : books) {
            if (book.getDedupKey().equals(dedupKey)) {
                return book;
            }
        }
        return null;
    }

    private RiskSignal publish(SignalBook book, Verdict verdict, SignalState state, Severity severity, long decidedAt) {
        // Aggregate stages see facts from many partitions slightly out of order; transitions never go back in time.
        long at = state == SignalState.RAISED ? decidedAt : Math.max(decidedAt, book.getLastEmittedAt());
        book.setSequence(book.getSequence() + 1);
        book.setLastEmittedAt(at);
        metrics.signal(verdict.kind().name(), state.name());
        Evidence evidence = Evidence.newBuilder()
                .setEventIds(new ArrayList<>(verdict.eventIds()))
                .setFacts(new TreeMap<>(verdict.facts()))
                .setThresholds(new TreeMap<>(verdict.thresholds()))
                .setClock(verdict.clock())
                .setRelatedTickets(new ArrayList<>(verdict.relatedTickets()))
                .setRelatedAccounts(new ArrayList<>(verdict.relatedAccounts()))
                .build();
        return RiskSignal.newBuilder()
                .setSignalId(book.getDedupKey() + "#" + book.getIncarnation() + "." + book.getSequence())
                .setDedupKey(book.getDedupKey())
                .setKind(verdict.kind())
                .setSeverity(severity)
                .setState(state)
                .setSubject(verdict.subject())
                .setAccountId(verdict.accountId())
                .setRuleId(verdict.ruleId())
                .setRuleVersion(verdict.ruleVersion())
                .setReason(verdict.reason())
                .setLabels(new TreeMap<>(verdict.labels()))
                .setEvidence(evidence)
                .setFirstRaisedAt(Instant.ofEpochMilli(book.getFirstRaisedAt()))
                .setOccurredAt(Instant.ofEpochMilli(at))
                .setSequence(book.getSequence())
                .setAcknowledgement(acks.of(book.getDedupKey(), book.getFirstRaisedAt()))
                .build();
    }
}
