package io.bellwether.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The options and the calls of the commands that act on a running service through its API ({@code silence},
 * {@code owner}, {@code ack}): where it is, the bearer token, and who is acting. Requests say they come from the CLI,
 * so the audit trail tells them apart from the dashboard's. A refusal is reported with the API's own reason.
 */
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", defaultValue = "${env:BELLWETHER_URL:-http://127.0.0.1:8080}",
            description = "The service's HTTP address (env BELLWETHER_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:BELLWETHER_HTTP_AUTH_TOKEN}",
            description = "Bearer token, when the service has http.auth.token set (env BELLWETHER_HTTP_AUTH_TOKEN).")
    String token;

    /** What the API answered: its status and JSON body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The API's reason for a refusal, as it wrote it. */
        String reason() {
            return status + " " + body.path("reason").asText(body.toString());
        }
    }

    Answer get(String path) throws CliException {
        return send(request(path).GET().build());
    }

    Answer post(String path, Object body) throws CliException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    Answer put(String path, Object body) throws CliException {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) throws CliException {
        URI uri;
        try {
            uri = URI.create(url.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new CliException("not a URL: '" + url + "' (" + e.getMessage() + ")");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("X-Bellwether-Client", "cli");
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token.trim());
        }
        return builder;
    }

    private Answer send(HttpRequest request) throws CliException {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (Exception e) {
                body = JSON.createObjectNode().put("reason", response.body());
            }
            return new Answer(response.statusCode(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while calling " + request.uri());
        } catch (Exception e) {
            throw new CliException("cannot reach " + request.uri() + ": " + ProbeCommand.describe(e));
        }
    }

    private static String json(Object body) throws CliException {
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new CliException("cannot write the request: " + e.getMessage());
        }
    }

    /** A failure the user can act on: printed as it is, exit code 1. */
    static class CliException extends Exception {
        CliException(String message) {
            super(message);
        }
    }
}
