package io.bellwether.common.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.json.Json;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How every Bellwether HTTP server answers, whatever its routes: failures as JSON {@code {error, reason, status}} with the
 * security headers, 405 naming the allowed methods, an oversized body refused with 413 that the client can read, and
 * load past the workers and their waiting room answered 503 + Retry-After at once instead of a reset connection.
 */
class WebTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private int start(int threads, int waiting, Consumer<io.javalin.config.RoutesConfig> routes) {
        app = Web.server("test", "127.0.0.1", 0, threads, waiting, 0, List.of(), routes).start();
        return app.port();
    }

    private HttpResponse<String> send(int port, String method, String path, byte[] body) throws Exception {
        return http.send(request(port, method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(int port, String method, String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static JsonNode error(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), response.headers().toString());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals(code, body.path("error").asText(), response.body());
        assertEquals(status, body.path("status").asInt(), response.body());
        return body;
    }

    @Test
    @DisplayName("should answer a handler's HttpError with its status, code, reason and headers, and any other failure with a JSON 500")
    void shouldRenderFailuresAsJson() throws Exception {
        int port = start(4, 16, routes -> {
            Web.resource(routes, "/teapot", r -> r.get(ctx -> {
                throw new HttpError(418, "teapot", "I only brew tea", Map.of("Retry-After", "7"));
            }));
            Web.resource(routes, "/broken", r -> r.get(ctx -> {
                throw new IllegalStateException("a bug");
            }));
        });
        HttpResponse<String> teapot = send(port, "GET", "/teapot", null);
        assertEquals("I only brew tea", error(teapot, 418, "teapot").path("reason").asText());
        assertEquals("7", teapot.headers().firstValue("Retry-After").orElse(null));
        JsonNode broken = error(send(port, "GET", "/broken", null), 500, "internal_error");
        assertTrue(broken.path("reason").asText().contains("IllegalStateException"), broken.toString());
        assertTrue(!broken.path("reason").asText().contains("a bug"), "no internals leak to the client: " + broken);
        error(send(port, "GET", "/nowhere", null), 404, "not_found");
    }

    @Test
    @DisplayName("should answer a method a resource does not take with 405 and Allow, and HEAD wherever GET is served")
    void shouldNameAllowedMethods() throws Exception {
        int port = start(4, 16, routes -> Web.resource(routes, "/things", r -> r.get(ctx -> Web.json(ctx, 200, Map.of("n", 1)))
                .post(ctx -> Web.json(ctx, 201, Map.of()))));
        HttpResponse<String> delete = send(port, "DELETE", "/things", null);
        error(delete, 405, "method_not_allowed");
        assertEquals("GET, HEAD, POST", delete.headers().firstValue("Allow").orElse(null));
        assertEquals(200, send(port, "HEAD", "/things", null).statusCode());
        assertEquals(201, send(port, "POST", "/things", new byte[0]).statusCode());
    }

    @Test
    @DisplayName("should refuse a body past the limit with a 413 the client reads, declared or streamed, and read one within it")
    void shouldRefuseOversizedBodies() throws Exception {
        int port = start(4, 16, routes -> Web.resource(routes, "/in", r -> r.post(ctx -> Web.json(ctx, 200,
                Map.of("bytes", Web.body(ctx, 1024).length)))));
        assertEquals("{\"bytes\":1024}", send(port, "POST", "/in", new byte[1024]).body());
        error(send(port, "POST", "/in", new byte[4 * 1024 * 1024]), 413, "payload_too_large");
        // Streamed (chunked, no Content-Length): refused once the limit is passed.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/in")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[2 * 1024 * 1024]))).build();
        error(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "payload_too_large");
    }

    @Test
    @DisplayName("should let requests past the workers wait, and answer those past the waiting room 503 with Retry-After at once")
    void shouldShedLoadWithAnAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        int port = start(1, 1, routes -> Web.resource(routes, "/slow", r -> r.get(ctx -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            Web.json(ctx, 200, Map.of("done", true));
        })));
        CompletableFuture<HttpResponse<String>> working = http.sendAsync(request(port, "GET", "/slow", null), HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the first request holds the only worker");
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(request(port, "GET", "/slow", null), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300); // let the second take the one waiting place before the third arrives
        List<HttpResponse<String>> turnedAway = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            turnedAway.add(send(port, "GET", "/slow", null));
        }
        for (HttpResponse<String> busy : turnedAway) {
            error(busy, 503, "busy");
            assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
        }
        release.countDown();
        assertEquals(200, working.get(20, TimeUnit.SECONDS).statusCode());
        assertEquals(200, waiting.get(20, TimeUnit.SECONDS).statusCode(), "the waiting request is served, not dropped");
    }
}
