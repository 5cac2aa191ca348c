package io.bellwether.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.http.HttpError;
import io.bellwether.common.http.Json;
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

    Cluster(KafkaStreams streams, HostInfo self, Peers peers) {
        this.streams = streams;
        this.self = self;
        this.peers = peers;
    }

    /** Every other instance currently holding tasks of the application. */
    List<HostInfo> others() {
        return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo).filter(h -> !h.equals(self)).distinct()
                .sorted(java.util.Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port)).toList();
    }

    int size() {
        return others().size() + 1;
    }

    /** This instance's share, then every other instance's, each as a list of {@code type}. */
    <T> List<List<T>> gather(Supplier<List<T>> local, String path, String query, TypeReference<List<T>> type) throws HttpError {
        List<List<T>> parts = new ArrayList<>();
        parts.add(local.get());
        for (HostInfo host : others()) {
            JsonNode body = peers.get(host, path + "?" + query);
            parts.add(Json.MAPPER.convertValue(body.path("items"), type));
        }
        return parts;
    }

    /**
     * The answer for one key from the instance that holds it: here via {@code local}, elsewhere over HTTP.
     *
     * @return empty when the key is unknown where it would live
     */
    <T> Optional<T> keyed(KeyQueryMetadata where, Supplier<Optional<T>> local, String path, String query, Class<T> type, String field)
            throws HttpError {
        return keyed(where, local, null, path, query, type, field).value();
    }

    /**
     * One key's answer, and where it came from.
     *
     * @param stale      true when it was read from this instance's standby copy because the active one did not answer
     * @param lagRecords how far behind that copy was (changelog records), or -1
     */
    record Keyed<T>(Optional<T> value, boolean stale, String activeHost, long lagRecords) {
    }

    /**
     * Like {@link #keyed(KeyQueryMetadata, Supplier, String, String, Class, String)}, and when the instance that runs the
     * key's partition does not answer (it died, and the group has not noticed yet) but this one holds a standby copy,
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
            return new Keyed<>(local.get(), false, null, -1);
        }
        try {
            JsonNode body = peers.get(where.activeHost(), path + "?" + query);
            return new Keyed<>(Optional.of(Json.MAPPER.convertValue(body.path(field), type)), false, null, -1);
        } catch (HttpError e) {
            if (e.status() == 404) {
                return new Keyed<>(Optional.empty(), false, null, -1);
            }
            if (e.status() == 503 && standby != null && where.standbyHosts().contains(self)) {
                return new Keyed<>(standby.apply(where.partition()), true, where.activeHost().host() + ":" + where.activeHost().port(), -1);
            }
            throw e;
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
