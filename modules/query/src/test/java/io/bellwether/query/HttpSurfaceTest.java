package io.bellwether.query;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query server's HTTP contract as a client meets it before any topology is attached: every failure a JSON body
 * {@code {error, reason, status}}, the security headers on every answer, 401 before anything else when a token is
 * set, 405 naming the allowed methods, and the live stream refusing a client that does not ask for events.
 */
class HttpSurfaceTest {
    private static final String TOKEN = "s3cret";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private QueryServer server;

    @BeforeEach
    void start() {
        server = QueryServer.start(new QueryConfig(true, "127.0.0.1", 0, "127.0.0.1", TOKEN, 4, 2, 100, ZoneId.of("UTC"),
                Duration.ofSeconds(2)), new MetricRegistry());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String token, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, method.equals("POST") || method.equals("PUT")
                        ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.headers().toString());
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals(code, body.path("error").asText(), response.body());
        assertEquals(status, body.path("status").asInt(), response.body());
        assertTrue(!body.path("reason").asText().isBlank(), "a reason for humans: " + response.body());
        return body;
    }

    private static void assertSecurityHeaders(HttpResponse<String> response) {
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null), response.uri().toString());
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), response.uri().toString());
    }

    @Test
    @DisplayName("should answer /health and /ready without a token, ready only once a topology is attached")
    void shouldAnswerProbesWithoutToken() throws Exception {
        HttpResponse<String> health = send("GET", "/health", null, null);
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("UP", Json.MAPPER.readTree(health.body()).path("status").asText());
        assertSecurityHeaders(health);
        HttpResponse<String> ready = send("GET", "/ready", null, null);
        assertEquals(503, ready.statusCode(), ready.body());
        assertEquals("STARTING", Json.MAPPER.readTree(ready.body()).path("streams").asText());
    }

    @Test
    @DisplayName("should refuse /api and /metrics without the token (401, WWW-Authenticate), and serve the OpenAPI document to anyone")
    void shouldRequireTheToken() throws Exception {
        HttpResponse<String> api = send("GET", "/api/accounts", null, null);
        error(api, 401, "unauthorized");
        assertTrue(api.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), api.headers().toString());
        assertSecurityHeaders(api);
        error(send("GET", "/api/accounts", "wrong", null), 401, "unauthorized");
        error(send("GET", "/metrics", null, null), 401, "unauthorized");
        error(send("POST", "/api/silences", null, null), 401, "unauthorized");
        assertEquals(200, send("GET", "/metrics", TOKEN, null).statusCode());
        HttpResponse<String> openapi = send("GET", "/api/openapi.yaml", null, null);
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.body().contains("/api/stream"), "the OpenAPI document");
    }

    @Test
    @DisplayName("should answer 503 with Retry-After on /api until a topology is attached")
    void shouldSayStarting() throws Exception {
        HttpResponse<String> starting = send("GET", "/api/accounts", TOKEN, null);
        error(starting, 503, "starting");
        assertEquals("2", starting.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    @DisplayName("should answer a method a resource does not take with 405 and Allow, and an unknown path with a JSON 404")
    void shouldRefuseWrongMethodsAndPaths() throws Exception {
        HttpResponse<String> getAcks = send("GET", "/api/acks", TOKEN, null);
        error(getAcks, 405, "method_not_allowed");
        assertEquals("POST", getAcks.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> deleteSilences = send("DELETE", "/api/silences", TOKEN, null);
        error(deleteSilences, 405, "method_not_allowed");
        assertEquals("GET, HEAD, POST", deleteSilences.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> postAccounts = send("POST", "/api/accounts", TOKEN, null);
        error(postAccounts, 405, "method_not_allowed");
        assertEquals("GET, HEAD", postAccounts.headers().firstValue("Allow").orElse(null));
        error(send("GET", "/nothing-here", null, null), 404, "not_found");
        error(send("GET", "/dashboard/../pom.xml", null, null), 404, "not_found");
    }

    @Test
    @DisplayName("should serve the dashboard with a Content-Security-Policy that allows only its own origin")
    void shouldServeTheDashboard() throws Exception {
        HttpResponse<String> index = send("GET", "/", null, null);
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertSecurityHeaders(index);
        HttpResponse<String> script = send("GET", "/dashboard/app.js", null, null);
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    }

    @Test
    @DisplayName("should refuse the live stream to a client that does not ask for events (406), before any stream starts")
    void shouldRefuseStreamWithoutEventAccept() throws Exception {
        error(send("GET", "/api/stream", TOKEN, "application/json"), 406, "not_acceptable");
        error(send("GET", "/api/stream", null, "text/event-stream"), 401, "unauthorized");
    }
}
