package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.OwnerNote;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.detect.state.TicketFact;

/**
 * What the aggregate stages are fed, one kind per item: a ticket fact, a signal note, an owner note or a clock tick.
 * Built with the record's constructor: Avro's builder deep-copies the default of every field left unset, once per
 * fact, which showed in the profile of the ticket stage.
 */
public final class FeedItems {
    private FeedItems() {
    }

    public static FeedItem fact(TicketFact fact) {
        return new FeedItem(fact, null, null, null, null, null);
    }

    public static FeedItem signal(SignalNote note) {
        return new FeedItem(null, note, null, null, null, null);
    }

    public static FeedItem owner(OwnerNote owner) {
        return new FeedItem(null, null, null, null, null, owner);
    }

    /** Event time reached {@code at}; {@code partition} of {@code partitions} when a replay aligns the stages. */
    public static FeedItem tick(long at, Integer partition, Integer partitions) {
        return new FeedItem(null, null, at, partition, partitions, null);
    }
}
