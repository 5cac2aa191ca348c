package io.bellwether.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP exchange as handlers see it: bounded body reads and JSON responses. */
public final class Request {
    private final HttpExchange exchange;
    private final Map<String, String> query;
    private boolean responded;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The path after {@code prefix}, without a leading slash. */
    public String pathAfter(String prefix) {
        String rest = path().substring(Math.min(prefix.length(), path().length()));
        return rest.startsWith("/") ? rest.substring(1) : rest;
    }

    public String query(String name) {
        return query.get(name);
    }

    public String query(String name, String fallback) {
        return query.getOrDefault(name, fallback);
    }

    public String rawQuery() {
        return exchange.getRequestURI().getRawQuery();
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    public Headers headers() {
        return exchange.getRequestHeaders();
    }

    public String remoteAddress() {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    public void requireMethod(String... allowed) throws HttpError {
        for (String m : allowed) {
            if (m.equalsIgnoreCase(method())) {
                return;
            }
        }
        throw new HttpError(405, "method_not_allowed", method() + " is not allowed here; use " + String.join(" or ", allowed),
                Map.of("Allow", String.join(", ", allowed)));
    }

    /** The declared body length, or -1 when the client streams it. */
    public long declaredLength() {
        String value = header("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body, refused with 413 once it exceeds {@code limit} bytes (without reading the rest). */
    public byte[] body(int limit) throws IOException, HttpError {
        long declared = declaredLength();
        try (InputStream in = exchange.getRequestBody()) {
            if (declared > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > limit) {
                    drain(in);
                    throw tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** Reads what is left of the body and throws it away (bounded), before an early answer: see {@link #drain}. */
    void discardBody() {
        try (InputStream in = exchange.getRequestBody()) {
            drain(in);
        } catch (IOException ignored) {
            // Nothing left to read, or the client is gone.
        }
    }

    /** The most of a refused body read and thrown away, so the client can read its 413 instead of a reset connection. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    /**
     * Reads and discards what the client is still sending (up to {@link #DRAIN_LIMIT}): answering and closing with the
     * body unread makes the operating system reset the connection, and the client never sees the answer.
     */
    private static void drain(InputStream in) {
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        try {
            for (int n; drained < DRAIN_LIMIT && (n = in.read(buffer)) >= 0; ) {
                drained += n;
            }
        } catch (IOException ignored) {
            // The client gave up first; there is nobody left to answer.
        }
    }

    private static HttpError tooLarge(int limit) {
        return new HttpError(413, "payload_too_large", "The body exceeds the limit of " + limit + " bytes");
    }

    public void sendJson(int status, Object body) throws IOException {
        send(status, "application/json", Json.MAPPER.writeValueAsBytes(body));
    }

    public void send(int status, String contentType, byte[] body) throws IOException {
        send(status, contentType, body, Map.of());
    }

    public void send(int status, String contentType, byte[] body, Map<String, String> extraHeaders) throws IOException {
        if (responded) {
            return;
        }
        responded = true;
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean head = "HEAD".equalsIgnoreCase(method());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Starts a streamed response (server-sent events): headers now, body written by the caller until it closes. */
    public OutputStream stream(String contentType) throws IOException {
        responded = true;
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    public boolean responded() {
        return responded;
    }

    void sendError(HttpError error) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error.code());
            body.put("reason", error.reason());
            body.put("status", error.status());
            send(error.status(), "application/json", Json.MAPPER.writeValueAsBytes(body), error.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException ignored) {
            // The client went away; nothing to tell it.
        }
    }

    void close() {
        exchange.close();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(key, value);
            } catch (IllegalArgumentException malformed) {
                // A broken %-escape names nothing we read; the parameter is as good as absent.
            }
        }
        return out;
    }
}
