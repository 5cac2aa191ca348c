package io.bellwether.detect.surge;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.TicketState;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Inhibition in the Alertmanager sense: while a surge is active on a ticket's category, CI or vendor, the
 * ticket-level noise it explains (by default: unassigned, SLA risk, aging) for tickets opened during the surge
 * is tracked but not announced. Breaches are never inhibited: a broken commitment is news even in an outage.
 *
 * <p>Surges are kept as a history, one record per occurrence with its start and end, and a verdict is checked
 * against the surge in force at the verdict's own moment. Live, the surge is known within moments of its start.
 * A replay running far ahead of the surge stage learns of a surge late; replaying into a surges topic that
 * already holds the history (a backtest's second pass, or the live run's topic) inhibits exactly as live did.
 */
public final class SurgeInhibition {
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<SurgeNotice>> active;
    private final Rules.Surge settings;

    public SurgeInhibition(ReadOnlyKeyValueStore<String, ValueAndTimestamp<SurgeNotice>> active, Rules.Surge settings) {
        this.active = active;
        this.settings = settings;
    }

    /** The verdict, marked inhibited when an active surge explains it. */
    public Verdict apply(Verdict verdict, TicketState ticket, long at) {
        if (active == null || !settings.enabled() || !verdict.active() || !settings.inhibits().contains(verdict.kind())) {
            return verdict;
        }
        for (String dimension : Dimensions.keys(settings.dimensions(), ticket.getCategory(), ticket.getConfigurationItem(), ticket.getVendor())) {
            try (KeyValueIterator<String, ValueAndTimestamp<SurgeNotice>> surges = active.range(dimension + "@", dimension + "@~")) {
                while (surges.hasNext()) {
                    SurgeNotice notice = surges.next().value.value();
                    if (notice != null && notice.getSince() <= at && (notice.getUntil() == null || at < notice.getUntil())
                            && ticket.getOpenedAt() >= notice.getWindowStart() && notice.getInhibits().contains(verdict.kind().name())) {
                        return verdict.inhibited("surge:" + dimension);
                    }
                }
            }
        }
        return verdict;
    }

    /** {@code <dimension>@<16 hex digits of since>}: one key per surge occurrence, in time order per dimension. */
    public static String noticeKey(String dimension, long since) {
        return dimension + "@" + String.format("%016x", Math.max(0, since));
    }
}
