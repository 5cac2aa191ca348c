package io.bellwether.detect.surge;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.TicketState;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Inhibition in the Alertmanager sense: while a surge is active on a ticket's category, CI or vendor, the
 * ticket-level noise it explains (by default: unassigned, SLA risk, aging) for tickets opened during the surge
 * is tracked but not announced. Breaches are never inhibited: a broken commitment is news even in an outage.
 *
 * <p>Surges are kept as a history, one record per occurrence, and a verdict is checked against the surge in force at
 * the verdict's own moment, counting a surge from the moment the surge stage decided it began until the moment it
 * decided it ended (event time, both). So inhibition depends on event time only: a run that learns of each surge as
 * it is decided and a run that knows the whole history in advance (a replay into a service whose surges topic holds
 * it) inhibit the very same verdicts.
 */
public final class SurgeInhibition {
    private final ReadOnlyKeyValueStore<String, SurgeNotice> history;
    private final Rules.Surge settings;

    public SurgeInhibition(ReadOnlyKeyValueStore<String, SurgeNotice> history, Rules.Surge settings) {
        this.history = history;
        this.settings = settings;
    }

    /** The verdict, marked inhibited when an active surge explains it. */
    public Verdict apply(Verdict verdict, TicketState ticket, long at) {
        if (history == null || !settings.enabled() || !verdict.active() || !settings.inhibits().contains(verdict.kind())) {
            return verdict;
        }
        for (String dimension : Dimensions.keys(settings.dimensions(), ticket.getCategory(), ticket.getConfigurationItem(), ticket.getVendor())) {
            try (KeyValueIterator<String, SurgeNotice> surges = history.range(dimension + "@", dimension + "@~")) {
                while (surges.hasNext()) {
                    SurgeNotice notice = surges.next().value;
                    if (notice != null && inForce(notice, at) && ticket.getOpenedAt() >= notice.getWindowStart()
                            && notice.getInhibits().contains(verdict.kind().name())) {
                        return verdict.inhibited("surge:" + dimension);
                    }
                }
            }
        }
        return verdict;
    }

    /** Known to have begun before {@code at}, and not known to have ended before it. */
    static boolean inForce(SurgeNotice notice, long at) {
        long begunAt = notice.getDecidedAt() != null ? notice.getDecidedAt() : notice.getSince() - 1;
        if (notice.getSince() > at || begunAt >= at) {
            return false;
        }
        if (notice.getUntil() == null || at < notice.getUntil()) {
            return true;
        }
        return notice.getEndDecidedAt() != null && notice.getEndDecidedAt() >= at;
    }

    /** Of two versions of one occurrence's notice, the one that knows more: an ended occurrence never reopens. */
    public static SurgeNotice newer(SurgeNotice held, SurgeNotice incoming) {
        if (held == null || incoming == null) {
            return incoming;
        }
        return held.getUntil() != null && incoming.getUntil() == null ? held : incoming;
    }

    /** {@code <dimension>@<16 hex digits of since>}: one key per surge occurrence, in time order per dimension. */
    public static String noticeKey(String dimension, long since) {
        return dimension + "@" + String.format("%016x", Math.max(0, since));
    }
}
