package io.bellwether.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP server (the JDK's own, no container) with prefix routes, a bounded worker pool and one rule for
 * failures: a handler's {@link HttpError} becomes that status with a JSON reason, anything else a 500 with a JSON
 * reason and a log line, so no client ever gets an empty or HTML error. Binds to loopback unless told otherwise.
 */
public final class HttpApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApp.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final List<Route> routes = new ArrayList<>();
    private final String name;

    private record Route(String prefix, Handler handler, boolean exact) {
    }

    /** Handles one request; throw {@link HttpError} for a client-facing failure. */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request) throws Exception;
    }

    private HttpApp(String name, HttpServer server, ExecutorService workers) {
        this.name = name;
        this.server = server;
        this.workers = workers;
    }

    /**
     * @param host    address to bind ("127.0.0.1" keeps it on the machine; "0.0.0.0" for every interface)
     * @param port    0 for any free port
     * @param threads worker threads; requests beyond them queue (bounded) and then get a 503
     */
    public static HttpApp create(String name, String host, int port, int threads) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
            AtomicInteger count = new AtomicInteger();
            // Past the workers and their queue, a request is still answered (503, Retry-After) by a small overflow pool
            // rather than having its connection reset: a client must always learn what happened to its request.
            ThreadPoolExecutor overflow = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(8192), r -> {
                Thread t = new Thread(() -> {
                    OVERFLOW.set(true);
                    r.run();
                }, name + "-http-overflow-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024),
                    r -> {
                        Thread t = new Thread(r, name + "-http-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }, (r, executor) -> overflow.execute(r));
            server.setExecutor(workers);
            HttpApp app = new HttpApp(name, server, workers);
            app.overflow = overflow;
            server.createContext("/", app::dispatch);
            return app;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen for " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Requests whose path starts with {@code prefix} (longest prefix wins). */
    public HttpApp route(String prefix, Handler handler) {
        routes.add(new Route(prefix, handler, false));
        routes.sort((a, b) -> Integer.compare(b.prefix.length(), a.prefix.length()));
        return this;
    }

    /** Requests for exactly {@code path}. */
    public HttpApp exact(String path, Handler handler) {
        routes.add(new Route(path, handler, true));
        routes.sort((a, b) -> Integer.compare(b.prefix.length(), a.prefix.length()));
        return this;
    }

    public HttpApp start() {
        server.start();
        log.info("{} listening on http://{}:{}", name, server.getAddress().getHostString(), port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    private static final ThreadLocal<Boolean> OVERFLOW = ThreadLocal.withInitial(() -> false);
    private ExecutorService overflow;

    private void dispatch(HttpExchange exchange) {
        Request request = new Request(exchange);
        if (OVERFLOW.get()) {
            try {
                request.sendError(new HttpError(503, "busy", "Every worker is busy; try again shortly", Map.of("Retry-After", "1")));
            } finally {
                request.close();
            }
            return;
        }
        try {
            String path = exchange.getRequestURI().getPath();
            Route route = routes.stream()
                    .filter(r -> r.exact ? path.equals(r.prefix) : path.startsWith(r.prefix))
                    .findFirst().orElse(null);
            if (route == null) {
                throw new HttpError(404, "not_found", "No such resource: " + path);
            }
            route.handler.handle(request);
        } catch (HttpError e) {
            // An early answer (429, 503, 413) with the body unread: past the JDK server's own 64 KB drain, closing would
            // reset the connection and the client would never read the answer.
            request.discardBody();
            request.sendError(e);
        } catch (IOException e) {
            // Reading the request or writing the answer failed: the client went away (closed, reset, timed out).
            // That is theirs, not ours; a stack trace at ERROR would page someone for a browser tab closed mid-stream.
            log.debug("{}: {} {}: the client disconnected ({})", name, exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        } catch (Exception e) {
            log.error("{}: {} {} failed", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
            request.sendError(new HttpError(500, "internal_error", "The server failed to handle the request: " + e.getClass().getSimpleName()));
        } finally {
            request.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        if (overflow != null) {
            overflow.shutdownNow();
        }
    }

    /** Map of a JSON error body, for handlers that want to build one. */
    public static Map<String, Object> errorBody(String error, String reason) {
        return Map.of("error", error, "reason", reason);
    }
}
