package io.bellwether.query;

import io.bellwether.common.http.HttpError;
import io.bellwether.common.http.Json;
import io.bellwether.common.http.Request;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 */
final class EventStream {
    private static final int BACKLOG = 1000;

    private final SignalTimeline timeline;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();

    EventStream(SignalTimeline timeline, int maxStreams) {
        this.timeline = timeline;
        this.maxStreams = maxStreams;
    }

    void handle(Request request) throws HttpError {
        request.requireMethod("GET");
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw new HttpError(503, "too_many_streams", "Already serving " + maxStreams + " live streams (http.max-streams)",
                    Map.of("Retry-After", "10"));
        }
        BlockingQueue<SignalTimeline.Entry> queue = new LinkedBlockingQueue<>(BACKLOG);
        AtomicBoolean overflowed = new AtomicBoolean();
        Consumer<SignalTimeline.Entry> listener = entry -> {
            if (!queue.offer(entry)) {
                overflowed.set(true);
            }
        };
        timeline.listen(listener);
        try (OutputStream out = request.stream("text/event-stream; charset=utf-8")) {
            write(out, "retry: 3000\nevent: hello\ndata: {\"caughtUp\":" + timeline.caughtUp() + "}\n\n");
            while (!Thread.currentThread().isInterrupted()) {
                SignalTimeline.Entry entry = queue.poll(15, TimeUnit.SECONDS);
                if (overflowed.getAndSet(false)) {
                    queue.clear();
                    write(out, "event: resync\ndata: {}\n\n");
                } else if (entry == null) {
                    write(out, ": keepalive\n\n");
                } else {
                    write(out, "id: " + entry.partition() + "-" + entry.offset() + "\nevent: signal\ndata: "
                            + Json.MAPPER.writeValueAsString(entry) + "\n\n");
                }
            }
        } catch (IOException e) {
            // The client went away.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timeline.unlisten(listener);
            open.decrementAndGet();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
