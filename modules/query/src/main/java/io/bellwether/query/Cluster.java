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
        if (where == null || KeyQueryMetadata.NOT_AVAILABLE.equals(where) || where.activeHost() == null) {
            throw new HttpError(503, "rebalancing", "The state for this key is being moved between instances; retry shortly",
                    Map.of("Retry-After", "2"));
        }
        if (where.activeHost().equals(self)) {
            return local.get();
        }
        try {
            JsonNode body = peers.get(where.activeHost(), path + "?" + query);
            return Optional.of(Json.MAPPER.convertValue(body.path(field), type));
        } catch (HttpError e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
