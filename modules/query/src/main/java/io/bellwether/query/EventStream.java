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

    private void stream(SseClient client) {
        BlockingQueue<SignalTimeline.Entry> queue = new LinkedBlockingQueue<>(BACKLOG);
        AtomicBoolean overflowed = new AtomicBoolean();
        Consumer<SignalTimeline.Entry> listener = entry -> {
            if (!queue.offer(entry)) {
                overflowed.set(true);
            }
        };
        timeline.listen(listener);
        try {
            client.sendEvent("hello", "{\"caughtUp\":" + timeline.caughtUp() + "}", null);
            while (!client.terminated() && !Thread.currentThread().isInterrupted()) {
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
        } catch (IOException e) {
            // An entry that would not serialize: end this stream; the client reconnects and reloads.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timeline.unlisten(listener);
            open.decrementAndGet();
            client.close();
        }
    }
}
