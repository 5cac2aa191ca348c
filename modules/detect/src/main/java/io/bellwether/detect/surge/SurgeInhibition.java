package io.bellwether.detect.surge;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.detect.state.TicketState;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Inhibition in the Alertmanager sense: while a surge is active on a ticket's category, CI or vendor, the
 * ticket-level noise it explains (by default: unassigned, SLA risk, aging) for tickets opened during the surge
 * is tracked but not announced. Breaches are never inhibited: a broken commitment is news even in an outage.
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
            ValueAndTimestamp<SurgeNotice> entry = active.get(dimension);
            SurgeNotice notice = entry == null ? null : entry.value();
            if (notice != null && notice.getSince() <= at && ticket.getOpenedAt() >= notice.getWindowStart()
                    && notice.getInhibits().contains(verdict.kind().name())) {
                return verdict.inhibited("surge:" + dimension);
            }
        }
        return verdict;
    }
}
