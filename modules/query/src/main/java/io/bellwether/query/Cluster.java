package io.bellwether.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.web.HttpError;
import io.bellwether.common.json.Json;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The instances of one Streams application and how to ask them. A keyed question goes to the instance that holds
 * the key's partition; a question over all keys asks every instance for its local share and merges. If any instance
 * holding state cannot answer, the answer is a 503 naming it, never a silently partial list.
 */
final class Cluster {
    private final KafkaStreams streams;
    private final HostInfo self;
    private final Peers peers;
    /** For each partitioned store the views read, the topic its partitions are numbered by (the stage's source). */
    private final Map<String, String> storeTopics;

    Cluster(KafkaStreams streams, HostInfo self, Peers peers, Map<String, String> storeTopics) {
        this.streams = streams;
        this.self = self;
        this.peers = peers;
        this.storeTopics = Map.copyOf(storeTopics);
    }

    /** Every other instance currently holding tasks of the application. */
    List<HostInfo> others() {
        return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo).filter(h -> !h.equals(self)).distinct()
                .sorted(java.util.Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port)).toList();
    }

    int size() {
        return others().size() + 1;
    }

    /**
     * Every instance's share, and the instances that did not answer but whose share came from this instance's standby
     * copies (stale).
     */
    record Gathered<T>(List<List<T>> parts, List<String> fromStandby) {
    }

    /**
     * This instance's share, then every other instance's. An instance that does not answer (it died; the group has not
     * noticed) is answered for from this instance's standby copies of all its partitions, when this instance holds
     * them; otherwise the whole answer is a 503 naming it, never a silently partial list.
     *
     * @param compute the share, computed on a set of views (this instance's own, or its copies of a silent one's)
     */
    <T> Gathered<T> gather(java.util.function.Function<LocalViews, List<T>> compute,
                           LocalViews views, String path, String query, TypeReference<List<T>> type) throws HttpError {
        List<List<T>> parts = new ArrayList<>();
        List<String> fromStandby = new ArrayList<>();
        parts.add(compute.apply(views));
        for (HostInfo host : others()) {
            try {
                JsonNode body = peers.get(host, path + "?" + query);
                parts.add(Json.MAPPER.convertValue(body.path("items"), type));
            } catch (HttpError e) {
                Map<String, java.util.Set<Integer>> copies = e.status() == 503 ? standbyCopiesOf(host) : null;
                if (copies == null) {
                    throw e;
                }
                parts.add(compute.apply(views.copies(copies)));
                fromStandby.add(host.host() + ":" + host.port());
            }
        }
        return new Gathered<>(parts, fromStandby);
    }

    /**
     * The partitions (per store) of a silent instance's active tasks, when this instance holds a standby copy of every
     * one of them; else null.
     */
    private Map<String, java.util.Set<Integer>> standbyCopiesOf(HostInfo host) {
        if (storeTopics.isEmpty()) {
            return null;
        }
        StreamsMetadata silent = null;
        StreamsMetadata mine = null;
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (m.hostInfo().equals(host)) {
                silent = m;
            } else if (m.hostInfo().equals(self)) {
                mine = m;
            }
        }
        if (silent == null || mine == null || !mine.standbyTopicPartitions().containsAll(silent.topicPartitions())) {
            return null;
        }
        Map<String, java.util.Set<Integer>> copies = new java.util.HashMap<>();
        for (Map.Entry<String, String> store : storeTopics.entrySet()) {
            java.util.Set<Integer> partitions = new java.util.TreeSet<>();
            silent.topicPartitions().stream().filter(tp -> tp.topic().equals(store.getValue())).forEach(tp -> partitions.add(tp.partition()));
            copies.put(store.getKey(), partitions);
        }
        return copies;
    }

    /**
     * One key's answer, and where it came from.
     *
     * @param stale      true when it was read from this instance's standby copy because the active one did not answer
     * @param activeHost the silent instance, when stale
     */
    record Keyed<T>(Optional<T> value, boolean stale, String activeHost) {
    }

    /**
     * The answer for one key from the instance that holds it: here via {@code local}, elsewhere over HTTP (empty when the
     * key is unknown where it would live). When the instance that runs the key's partition does not answer (it died, and the group has not noticed yet) but this one holds a standby copy,
     * the answer comes from that copy, marked stale with its lag.
     *
     * @param standby the key read from this instance's copy of a partition (stale stores allowed), or null for none
     */
    <T> Keyed<T> keyed(KeyQueryMetadata where, Supplier<Optional<T>> local, java.util.function.IntFunction<Optional<T>> standby,
                       String path, String query, Class<T> type, String field) throws HttpError {
        if (where == null || KeyQueryMetadata.NOT_AVAILABLE.equals(where) || where.activeHost() == null) {
            throw new HttpError(503, "rebalancing", "The state for this key is being moved between instances; retry shortly",
                    Map.of("Retry-After", "2"));
        }
        if (where.activeHost().equals(self)) {
            return new Keyed<>(local.get(), false, null);
        }
        try {
            JsonNode body = peers.get(where.activeHost(), path + "?" + query);
            return new Keyed<>(Optional.of(Json.MAPPER.convertValue(body.path(field), type)), false, null);
        } catch (HttpError e) {
            if (e.status() == 404) {
                return new Keyed<>(Optional.empty(), false, null);
            }
            if (e.status() == 503 && standby != null && where.standbyHosts().contains(self)) {
                return new Keyed<>(standby.apply(where.partition()), true, where.activeHost().host() + ":" + where.activeHost().port());
            }
            throw e;
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
