package io.bellwether.detect;

import io.bellwether.detect.account.AccountFeed;
import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.TicketFact;
import io.bellwether.detect.surge.Dimensions;
import io.bellwether.detect.team.TeamFeed;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Where on the aggregate feed each item goes: one record per stage and entity that reads it, keyed by a one-letter
 * stage tag and the entity ({@code a<account>}, {@code t<team>}, {@code s<dimension>}). The feed is partitioned by the
 * entity alone ({@link FeedPartitioner}), as interactive queries look entities up; clock ticks go to every partition.
 */
public final class FeedRoute {
    public static final char ACCOUNT = 'a';
    public static final char TEAM = 't';
    public static final char SURGE = 's';

    private final List<String> dimensions;

    public FeedRoute(List<String> dimensions) {
        this.dimensions = List.copyOf(dimensions);
    }

    /** The feed key of an account's items. */
    public static String account(String accountId) {
        return ACCOUNT + accountId;
    }

    /** The entity a feed key names, without its stage tag. */
    public static String entity(String feedKey) {
        return feedKey.isEmpty() ? feedKey : feedKey.substring(1);
    }

    /** The records {@code item} becomes on the feed; a signal note comes keyed by its account already. */
    public List<KeyValue<String, FeedItem>> route(String key, FeedItem item) {
        if (item.getWatermark() != null) {
            return List.of(KeyValue.pair(FeedPartitioner.BROADCAST_KEY, item));
        }
        if (item.getSignal() != null) {
            return List.of(KeyValue.pair(key, item));
        }
        TicketFact fact = item.getFact();
        if (fact == null) {
            return List.of();
        }
        List<KeyValue<String, FeedItem>> out = new ArrayList<>(4);
        if (AccountFeed.concerns(fact)) {
            out.add(KeyValue.pair(account(fact.getAccountId()), item));
        }
        if (TeamFeed.concerns(fact)) {
            TeamFeed.teams(fact).forEach(team -> out.add(KeyValue.pair(TEAM + team, item)));
        }
        if (fact.getOpened() || fact.getResolved()) {
            Dimensions.keys(dimensions, fact.getCategory(), fact.getConfigurationItem(), fact.getVendor())
                    .forEach(dimension -> out.add(KeyValue.pair(SURGE + dimension, item)));
        }
        // A first match of a security indicator counts towards its burst across accounts, and towards the account's.
        Dimensions.securityKeys(fact.getSecurityIndicators(), fact.getAccountId()).forEach(dimension -> out.add(KeyValue.pair(SURGE + dimension, item)));
        return out;
    }
}
