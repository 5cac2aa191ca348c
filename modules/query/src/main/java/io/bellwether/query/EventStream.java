package io.bellwether.query;

import io.bellwether.common.json.Json;
import io.bellwether.common.web.HttpError;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Server-sent events: every signal transition as it reaches the timeline ({@code event: signal}), a comment every
 * 15 seconds so proxies keep the connection, and {@code event: resync} if a slow client fell so far behind that
 * transitions had to be skipped (the client then reloads the boards instead of trusting an incomplete stream).
 * At most {@code maxStreams} are open at once; past that a client is told to come back (503, Retry-After).
 */
final class EventStream {
    private static final int BACKLOG = 1000;

    private final SignalTimeline timeline;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final java.util.Set<SseClient> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private final SseHandler sse = new SseHandler(this::stream);

    EventStream(SignalTimeline timeline, int maxStreams) {
        this.timeline = timeline;
        this.maxStreams = maxStreams;
    }

    /** A client that does not ask for events (EventSource always does) is told so, rather than kept waiting on a stream. */
    static void requireEventStream(Context ctx) throws HttpError {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new HttpError(406, "not_acceptable", "/api/stream is a server-sent event stream; ask for it with 'Accept: text/event-stream'");
        }
    }

    /** Refusals first, while the answer can still be one: once the stream starts, its status is 200. */
    void handle(Context ctx) throws Exception {
        requireEventStream(ctx);
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw new HttpError(503, "too_many_streams", "Already serving " + maxStreams + " live streams (http.max-streams)",
                    Map.of("Retry-After", "10"));
        }
        try {
            sse.handle(ctx);
        } catch (Exception e) {
            open.decrementAndGet();
            throw e;
        }
    }

    /**
     * Keeps the stream open (Javalin then holds the request until it is closed) and hands it to a thread of its own, so a
     * slow client never holds up the timeline's consumer and the handler returns while the request is alive.
     */
    private void stream(SseClient client) {
        client.keepAlive();
        BlockingQueue<SignalTimeline.Entry> queue = new LinkedBlockingQueue<>(BACKLOG);
        AtomicBoolean overflowed = new AtomicBoolean();
        Consumer<SignalTimeline.Entry> listener = entry -> {
            if (!queue.offer(entry)) {
                overflowed.set(true);
            }
        };
        Thread sender = new Thread(() -> send(client, queue, overflowed), "query-sse-" + streams.incrementAndGet());
        sender.setDaemon(true);
        client.onClose(() -> {
            timeline.unlisten(listener);
            clients.remove(client);
            open.decrementAndGet();
            sender.interrupt();
        });
        clients.add(client);
        timeline.listen(listener);
        if (stopping) {
            close(client);
            return;
        }
        sender.start();
    }

    private void send(SseClient client, BlockingQueue<SignalTimeline.Entry> queue, AtomicBoolean overflowed) {
        try {
            client.sendEvent("hello", "{\"caughtUp\":" + timeline.caughtUp() + "}", null);
            while (!client.terminated()) {
                SignalTimeline.Entry entry = queue.poll(15, TimeUnit.SECONDS);
                if (overflowed.getAndSet(false)) {
                    queue.clear();
                    client.sendEvent("resync", "{}", null);
                } else if (entry == null) {
                    client.sendComment("keepalive");
                } else {
                    client.sendEvent("signal", Json.MAPPER.writeValueAsString(entry), entry.partition() + "-" + entry.offset());
                }
            }
        } catch (InterruptedException e) {
            // Closed: by the client leaving, or the server stopping.
        } catch (IOException | RuntimeException e) {
            // An entry that would not serialize, or a write to a stream that is gone: this stream is over; the client reconnects.
        } finally {
            close(client);
        }
    }

    /** Ends every open stream, before the server stops: a stream must not outlive its request. */
    void closeAll() {
        stopping = true;
        for (SseClient client : clients) {
            close(client);
        }
    }

    private static void close(SseClient client) {
        try {
            client.close();
        } catch (RuntimeException alreadyCompleted) {
            // The client left first: the stream is over either way.
        }
    }
}
