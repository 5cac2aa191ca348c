package io.bellwether.common.web;

import io.bellwether.common.json.Json;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Bellwether's HTTP servers (the webhook receiver, the query API) are Javalin apps built one way, so that no client
 * ever gets an empty or HTML error: a handler's {@link HttpError} becomes that status with a JSON body
 * {@code {error, reason, status}}, Javalin's own refusals (no such route) the same, anything else a 500 with a JSON
 * reason and a log line. Every answer says {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff};
 * a method a resource does not take is a 405 naming the ones it does ({@code Allow}); a refused body is drained (bounded)
 * before the answer, so the client reads its 413 or 429 instead of a reset connection. Past {@code threads} requests at
 * once, up to {@value #WAITING} more wait without holding a thread (Jetty's {@link QoSHandler}); beyond that, or after
 * {@link #LONGEST_WAIT}, a request is answered 503 with {@code Retry-After: 1} at once rather than having its connection
 * reset: a client must always learn what happened to its request.
 */
public final class Web {
    private static final Logger log = LoggerFactory.getLogger(Web.class);
    /** Jetty's own acceptor and selector threads come out of the same pool as the handlers'. */
    private static final int JETTY_RESERVED_THREADS = 8;
    /** The most of a refused body read and thrown away, so the client can read the answer instead of a reset connection. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);
    private static final int WAITING = 1024;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    private static final String BODY_READ = Web.class.getName() + ".bodyRead";

    private Web() {
    }

    /**
     * @param host    address to bind ("127.0.0.1" keeps it on the machine; "0.0.0.0" for every interface)
     * @param port    0 for any free port
     * @param threads     requests handled at once; more wait (bounded), then get a 503
     * @param streams     long-lived streams open at once, each holding a thread of its own outside that limit
     * @param streamPaths the paths of those streams
     * @param routes      the app's routes, registered in order (the first that matches a request takes it)
     */
    public static Javalin server(String name, String host, int port, int threads, int streams, List<String> streamPaths,
                                 Consumer<RoutesConfig> routes) {
        return server(name, host, port, threads, WAITING, streams, streamPaths, routes);
    }

    static Javalin server(String name, String host, int port, int threads, int waiting, int streams, List<String> streamPaths,
                          Consumer<RoutesConfig> routes) {
        return Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            QueuedThreadPool pool = new QueuedThreadPool(threads + streams + JETTY_RESERVED_THREADS, Math.min(threads, 4));
            pool.setName(name.replace(' ', '-') + "-http");
            pool.setDaemon(true);
            config.jetty.threadPool = pool;
            config.jetty.modifyServer(server -> {
                // Javalin puts its servlet context inside the handler it finds here.
                Shedding shedding = new Shedding();
                shedding.setMaxRequestCount(threads);
                shedding.setMaxSuspendedRequestCount(waiting);
                shedding.setMaxSuspend(LONGEST_WAIT);
                streamPaths.forEach(shedding::excludePath);
                server.setHandler(shedding);
            });
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.before(ctx -> {
                ctx.header("Cache-Control", "no-store");
                ctx.header("X-Content-Type-Options", "nosniff");
            });
            config.routes.exception(HttpError.class, (e, ctx) -> refuse(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, fromJavalin(e, ctx)));
            config.routes.exception(Exception.class, (e, ctx) -> failed(name, ctx, e));
            routes.accept(config.routes);
        });
    }

    /** Jetty's QoS handler, answering the requests it turns away in Bellwether's JSON shape. */
    private static final class Shedding extends QoSHandler {
        private static final byte[] BUSY = ("{\"error\":\"busy\",\"reason\":\"Every worker is busy; try again shortly\",\"status\":503}")
                .getBytes(StandardCharsets.UTF_8);

        @Override
        protected void reject(Request request, Response response, Callback callback, int status) {
            busy(response, callback);
        }

        @Override
        protected void expireSuspended(Request request, Response response, Callback callback) {
            busy(response, callback);
        }

        private static void busy(Response response, Callback callback) {
            response.setStatus(503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.write(true, ByteBuffer.wrap(BUSY), callback);
        }
    }

    /** Registers a resource at {@code path}: the methods {@code methods} gives, and a 405 for every other one. */
    public static void resource(RoutesConfig routes, String path, Consumer<Resource> methods) {
        Resource resource = new Resource();
        methods.accept(resource);
        resource.handlers.forEach((method, handler) -> routes.addHttpHandler(method, path, handler));
        String allow = String.join(", ", resource.handlers.keySet().stream().map(HandlerType::name).toList());
        Handler refuse = ctx -> {
            throw new HttpError(405, "method_not_allowed", ctx.method().name() + " is not allowed here; use " + allow.replace(", ", " or "),
                    Map.of("Allow", allow));
        };
        METHODS.stream().filter(m -> !resource.handlers.containsKey(m)).forEach(m -> routes.addHttpHandler(m, path, refuse));
    }

    /** The methods of one resource; {@link #get} answers HEAD too. */
    public static final class Resource {
        private final Map<HandlerType, Handler> handlers = new LinkedHashMap<>();

        public Resource get(Handler handler) {
            handlers.put(HandlerType.GET, handler);
            handlers.put(HandlerType.HEAD, handler);
            return this;
        }

        public Resource post(Handler handler) {
            handlers.put(HandlerType.POST, handler);
            return this;
        }

        public Resource put(Handler handler) {
            handlers.put(HandlerType.PUT, handler);
            return this;
        }
    }

    /** Answers {@code body} as JSON with {@code status}. */
    public static void json(Context ctx, int status, Object body) throws IOException {
        ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
    }

    /** The first value of query parameter {@code name}, or {@code fallback}. */
    public static String query(Context ctx, String name, String fallback) {
        String value = ctx.queryParam(name);
        return value == null ? fallback : value;
    }

    /** The request headers, every value of each (names as the client sent them). */
    public static Map<String, List<String>> headers(Context ctx) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            out.put(name, Collections.list(ctx.req().getHeaders(name)));
        }
        return out;
    }

    /** The body, refused with 413 once it exceeds {@code limit} bytes (the rest drained, not kept). */
    public static byte[] body(Context ctx, int limit) throws IOException, HttpError {
        ctx.attribute(BODY_READ, true);
        long declared = ctx.req().getContentLengthLong();
        InputStream in = ctx.req().getInputStream();
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

    private static HttpError tooLarge(int limit) {
        return new HttpError(413, "payload_too_large", "The body exceeds the limit of " + limit + " bytes");
    }

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

    private static void refuse(Context ctx, HttpError error) {
        if (!Boolean.TRUE.equals(ctx.attribute(BODY_READ))) {
            // An early answer (429, 503, 401) with the body unread.
            try {
                drain(ctx.req().getInputStream());
            } catch (IOException | IllegalStateException ignored) {
                // No body to read.
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("reason", error.reason());
        body.put("status", error.status());
        error.headers().forEach(ctx::header);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        try {
            json(ctx, error.status(), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Javalin's own refusals (no route, a body it would not read) in Bellwether's JSON shape. */
    private static HttpError fromJavalin(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 404 -> new HttpError(404, "not_found", "No such resource: " + ctx.path());
            case 405 -> new HttpError(405, "method_not_allowed", ctx.method().name() + " is not allowed here");
            case 413 -> new HttpError(413, "payload_too_large", e.getMessage());
            default -> new HttpError(e.getStatus(), "http_" + e.getStatus(), e.getMessage());
        };
    }

    private static void failed(String name, Context ctx, Exception e) {
        String request;
        try {
            request = ctx.method() + " " + ctx.path();
        } catch (RuntimeException gone) {
            // A long-lived answer (a live stream) that failed after its request was completed and recycled: nobody to tell.
            log.debug("{}: a completed request failed late ({})", name, e.toString());
            return;
        }
        if (e instanceof EofException || (e instanceof IOException && ctx.res().isCommitted())) {
            // The client went away mid-answer. That is theirs, not ours; a stack trace at ERROR would page someone for a
            // browser tab closed mid-stream.
            log.debug("{}: {}: the client disconnected ({})", name, request, e.toString());
            return;
        }
        log.error("{}: {} failed", name, request, e);
        refuse(ctx, new HttpError(500, "internal_error", "The server failed to handle the request: " + e.getClass().getSimpleName()));
    }
}
