package io.bellwether.ingest;

import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.web.HttpError;
import io.bellwether.common.web.Web;
import io.bellwether.common.json.Json;
import io.bellwether.events.TicketEvent;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The webhook receiver: {@code POST /webhooks/<source>}. A delivery is checked in the order that keeps the
 * receiver cheap to attack and nothing acknowledged lost:
 * <ol>
 *   <li>rate limit (429) and size limit (413), before reading or trusting anything;</li>
 *   <li>authentication by the source's own scheme (401; counted, never stored);</li>
 *   <li>content type (415), JSON (400), and the adapter (422): from here a refused body passed authentication, so
 *       it is kept in the dead-letter topic with its headers and reason before the 4xx goes out;</li>
 *   <li>publish: 202 only after Kafka acknowledged every event ({@code acks=all}); if Kafka does not, 503 with
 *       Retry-After so the PSA delivers again (the event id is stable, so the retry is counted once).</li>
 * </ol>
 * If the dead-letter write itself fails the answer is 503 too: a body is never refused and lost at once.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final String PREFIX = "/webhooks/";
    /** Headers worth keeping with a dead letter: never credentials. */
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-bellwether-token", "cookie");

    private final IngestConfig config;
    private final Publisher publisher;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Javalin http;

    public WebhookReceiver(IngestConfig config, Publisher publisher, IngestMetrics metrics, Clock clock) {
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.http = Web.server("webhook receiver", config.host(), config.port(), config.threads(), 0, List.of(), routes -> {
            Web.resource(routes, "/health", r -> r.get(ctx -> Web.json(ctx, 200, Map.of("status", "UP"))));
            Web.resource(routes, "/webhooks", r -> r.get(this::list));
            // Every method reaches receive(): an unknown source is a 404 whatever the method, a known one refuses all but POST.
            for (HandlerType method : List.of(HandlerType.POST, HandlerType.GET, HandlerType.HEAD, HandlerType.PUT, HandlerType.PATCH,
                    HandlerType.DELETE)) {
                routes.addHttpHandler(method, PREFIX + "{source}", this::receive);
            }
        });
    }

    public WebhookReceiver start() {
        http.start();
        log.info("webhook receiver listening on http://{}:{}", config.host(), http.port());
        config.sources().values().forEach(s -> log.info("Webhook source {} at {}{}: {}", s.name(), PREFIX, s.name(), s.authenticator().describe()));
        return this;
    }

    public int port() {
        return http.port();
    }

    private void list(Context ctx) throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        config.sources().values().forEach(s -> sources.put(s.name(), s.authenticator().describe()));
        Web.json(ctx, 200, Map.of("sources", sources));
    }

    private void receive(Context ctx) throws Exception {
        String name = ctx.pathParam("source");
        Source source = config.sources().get(name);
        if (source == null) {
            throw new HttpError(404, "unknown_source", "No webhook source '" + abbreviate(name) + "'; one of " + IngestConfig.SOURCES);
        }
        metrics.received(source.name());
        Timer.Context timing = metrics.latency(source.name()).time();
        try {
            if (!"POST".equals(ctx.method().name())) {
                throw new HttpError(405, "method_not_allowed", ctx.method().name() + " is not allowed here; use POST", Map.of("Allow", "POST"));
            }
            handle(source, ctx);
        } catch (HttpError e) {
            metrics.rejected(source.name(), e.code());
            throw e;
        } finally {
            timing.stop();
        }
    }

    private void handle(Source source, Context ctx) throws Exception {
        if (!source.rateLimiter().tryAcquire()) {
            throw new HttpError(429, Rejection.RATE_LIMITED, "More than the configured rate of deliveries for " + source.name(),
                    Map.of("Retry-After", String.valueOf(source.rateLimiter().retryAfterSeconds())));
        }
        if (!publisher.available()) {
            source.rateLimiter().refund();
            throw unavailable("Kafka is unreachable; the event was not stored");
        }
        byte[] body;
        try {
            body = Web.body(ctx, config.maxBodyBytes());
        } catch (HttpError e) {
            throw Rejection.of(413, Rejection.TOO_LARGE, e.reason());
        }
        Instant now = clock.instant();
        Delivery delivery = new Delivery(source.name(), body, Web.headers(ctx), now);
        source.authenticator().verify(delivery, now);

        List<TicketEvent> events;
        try {
            events = parse(source, delivery);
        } catch (Rejection rejection) {
            keep(source, delivery, rejection);
            throw rejection;
        }
        try {
            publisher.publish(events);
        } catch (Publisher.PublishException e) {
            log.warn("{}: Kafka did not take {} event(s): {}", source.name(), events.size(), e.getMessage());
            source.rateLimiter().refund();
            throw unavailable("The event was not stored (" + e.getMessage() + "); deliver it again");
        }
        metrics.accepted(source.name(), events.size());
        Web.json(ctx, 202, Map.of("accepted", events.size(), "eventIds", events.stream().map(TicketEvent::getEventId).toList()));
    }

    /** 503 with Retry-After: Kafka's trouble, not the sender's; the delivery is not counted against its rate limit. */
    private static HttpError unavailable(String reason) {
        return new HttpError(503, "kafka_unavailable", reason, Map.of("Retry-After", "5"));
    }

    private static List<TicketEvent> parse(Source source, Delivery delivery) throws Rejection {
        String contentType = delivery.contentType();
        if (contentType == null || !(contentType.startsWith("application/json") || contentType.contains("+json"))) {
            throw Rejection.of(415, Rejection.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, was "
                    + (contentType == null ? "absent" : abbreviate(contentType)));
        }
        StrictJson.checkUtf8(delivery.body());
        JsonNode json;
        try {
            json = StrictJson.READER.readTree(delivery.body());
        } catch (JacksonException e) {
            throw Rejection.invalid(Rejection.MALFORMED, "The body is not valid JSON: " + abbreviate(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw Rejection.invalid(Rejection.MALFORMED, "The body cannot be read as JSON: " + abbreviate(e.getMessage()));
        }
        if (json == null || !json.isObject()) {
            throw Rejection.invalid(Rejection.MALFORMED, "The body must be a JSON object");
        }
        StrictJson.checkSurrogates(json, "$");
        List<TicketEvent> events = source.adapter().toEvents(json, delivery);
        if (events.isEmpty()) {
            throw Rejection.invalid(Rejection.MISSING_FIELD, "The delivery holds no ticket events");
        }
        return events;
    }

    /** Keeps an authenticated body that was refused; if that fails too, the sender must retry (503). */
    private void keep(Source source, Delivery delivery, Rejection rejection) throws HttpError {
        try {
            publisher.deadLetter(source.name(), delivery.body(), headers(delivery), rejection.code() + ": " + rejection.reason());
            metrics.deadLettered(source.name());
        } catch (Publisher.PublishException e) {
            log.warn("{}: could not keep a rejected body in the dead-letter topic: {}", source.name(), e.getMessage());
            source.rateLimiter().refund();
            throw new HttpError(503, "kafka_unavailable", rejection.reason() + " (and the body could not be kept: " + e.getMessage() + ")",
                    Map.of("Retry-After", "5"));
        }
    }

    private static Headers headers(Delivery delivery) {
        RecordHeaders headers = new RecordHeaders();
        delivery.headers().forEach((name, values) -> {
            if (!SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> headers.add("http." + name.toLowerCase(Locale.ROOT), v.getBytes(StandardCharsets.UTF_8)));
            }
        });
        headers.add("bellwether.received.at", delivery.receivedAt().toString().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }

    @Override
    public void close() {
        http.stop();
    }
}
