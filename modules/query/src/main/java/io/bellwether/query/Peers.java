package io.bellwether.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.web.HttpError;
import io.bellwether.common.json.Json;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks another instance of the same application for its local share of an answer ({@code scope=local}), with this
 * instance's token. An instance that does not answer in time is reported, not waited for.
 */
final class Peers {
    private final HttpClient client;
    private final String token;
    private final Duration timeout;

    Peers(String token, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.token = token;
        this.timeout = timeout;
    }

    /** @param pathAndQuery e.g. {@code /api/tickets?scope=local&at=...} */
    JsonNode get(HostInfo host, String pathAndQuery) throws HttpError {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(timeout).header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (response.statusCode() == 404) {
                throw new HttpError(404, "not_found", body.path("reason").asText("not found on " + host));
            }
            if (response.statusCode() == 400) {
                throw new HttpError(400, body.path("error").asText("bad_request"), body.path("reason").asText("rejected by " + host));
            }
            if (response.statusCode() != 200) {
                throw unavailable(host, "answered " + response.statusCode() + " " + body.path("reason").asText(""));
            }
            return body;
        } catch (IOException e) {
            throw unavailable(host, e.getClass().getSimpleName() + " " + (e.getMessage() == null ? "" : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(host, "interrupted");
        }
    }

    static HttpError unavailable(HostInfo host, String why) {
        return new HttpError(503, "instance_unavailable", "Instance " + host.host() + ":" + host.port() + " holding part of the state "
                + "did not answer (" + why.strip() + "); retry shortly", java.util.Map.of("Retry-After", "2"));
    }
}
