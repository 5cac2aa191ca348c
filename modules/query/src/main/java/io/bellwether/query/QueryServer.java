package io.bellwether.query;

import com.codahale.metrics.MetricRegistry;
import io.bellwether.common.web.HttpError;
import io.bellwether.common.web.Web;
import io.bellwether.common.metrics.MetricsExposition;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.StoreNames;
import io.bellwether.events.Silence;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.KeyQueryMetadata;
import java.util.List;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The service's HTTP face: the query API, operators' writes (silences, owners: {@link OperatorApi}), the live stream,
 * the dashboard, /metrics, /health and /ready. It listens
 * before the topology starts (so the topology can advertise its address to the other instances) and answers 503
 * on /api until {@link #attach} hands it the running topology. With a token configured, /api and /metrics need
 * {@code Authorization: Bearer <token>} (or {@code access_token=} for browsers' EventSource), writes included; /health and /ready
 * stay open for probes.
 */
public final class QueryServer implements AutoCloseable {
    private final QueryConfig config;
    private final Javalin http;
    private final MetricRegistry metrics;
    private final MetricsExposition exposition;
    private volatile Attached attached;

    private record Attached(KafkaStreams streams, LocalViews views, Api api, EventStream stream, SignalTimeline timeline,
                            OperatorApi operator) {
    }

    private QueryServer(QueryConfig config, MetricRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        this.exposition = new MetricsExposition(metrics);
        this.http = Web.server("query", config.host(), config.port(), config.threads(), config.maxStreams(),
                java.util.List.of("/api/stream"), this::routes);
    }

    private void routes(RoutesConfig routes) {
        if (config.token() != null) {
            routes.before("/api/*", this::authorize);
            routes.before("/metrics", this::authorize);
        }
        Web.resource(routes, "/health", r -> r.get(this::health));
        Web.resource(routes, "/ready", r -> r.get(this::ready));
        Web.resource(routes, "/metrics", r -> r.get(this::metrics));
        Web.resource(routes, "/api/openapi.yaml", r -> r.get(ctx -> StaticFiles.serve(ctx, "openapi.yaml")));
        Web.resource(routes, "/api/stream", r -> r.get(ctx -> {
            EventStream.requireEventStream(ctx);
            current().stream.handle(ctx);
        }));
        Web.resource(routes, "/api/acks", r -> r.post(ctx -> operator().acknowledge(ctx)));
        Web.resource(routes, "/api/silences", r -> r.get(ctx -> operator().listSilences(ctx)).post(ctx -> operator().addSilence(ctx)));
        Web.resource(routes, "/api/silences/{id}", r -> r.get(ctx -> operator().silence(ctx, ctx.pathParam("id"))));
        Web.resource(routes, "/api/silences/{id}/expire", r -> r.post(ctx -> operator().expireSilence(ctx, ctx.pathParam("id"))));
        Web.resource(routes, "/api/owners/{accountId}", r -> r.put(ctx -> operator().setOwner(ctx, ctx.pathParam("accountId"))));
        Web.resource(routes, "/api/{collection}", r -> r.get(ctx -> current().api.handle(ctx, ctx.pathParam("collection"), null)));
        // <key>: a key may hold an (escaped) slash.
        Web.resource(routes, "/api/{collection}/<key>", r -> r.get(ctx -> current().api.handle(ctx, ctx.pathParam("collection"),
                ctx.pathParam("key"))));
        Web.resource(routes, "/", r -> r.get(ctx -> StaticFiles.serve(ctx, "index.html")));
        Web.resource(routes, "/dashboard/<file>", r -> r.get(ctx -> StaticFiles.serve(ctx, ctx.pathParam("file"))));
    }

    public static QueryServer start(QueryConfig config, MetricRegistry metrics) {
        QueryServer server = new QueryServer(config, metrics);
        server.http.start();
        return server;
    }

    /** {@code host:port} for the Streams {@code application.server} setting. */
    public String applicationServer() {
        return config.advertisedHost() + ":" + http.port();
    }

    public int port() {
        return http.port();
    }

    /**
     * Serves the running topology's state from now on.
     *
     * @param eventTimeDriven       true when only event time moves the topology's clock (replays, the demo): "now" is
     *                              then the newest event time seen, not the wall clock
     * @param closedRetentionMillis how long closed tickets are kept (demand over a longer window is marked incomplete)
     * @param storeTopics           for each partitioned store the views read, the topic its partitions are numbered by:
     *                              with it, an instance answers lists for a silent one from its standby copies
     */
    public void attach(KafkaStreams streams, Rules rules, SignalTimeline timeline, boolean eventTimeDriven, long closedRetentionMillis,
                       Map<String, String> storeTopics) {
        attach(streams, rules, timeline, eventTimeDriven, closedRetentionMillis, storeTopics, null);
    }

    /** The same, with operators' writes (silences, owners) going through {@code writes}; null serves read-only. */
    public void attach(KafkaStreams streams, Rules rules, SignalTimeline timeline, boolean eventTimeDriven, long closedRetentionMillis,
                       Map<String, String> storeTopics, OperatorWrites writes) {
        HostInfo self = HostInfo.buildFromEndpoint(applicationServer());
        LocalViews views = new LocalViews(streams, rules);
        Cluster cluster = new Cluster(streams, self, new Peers(config.token(), config.peerTimeout()), storeTopics);
        StreamsGauges.register(metrics, streams);
        metrics.gauge("bellwether.query.timeline_undecodable", () -> timeline::undecodable);
        LongSupplier now = eventTimeDriven ? new LatestEventTime(views, timeline) : System::currentTimeMillis;
        OperatorApi operator = writes == null ? null : new OperatorApi(writes, () -> streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CONTROL_SILENCES, QueryableStoreTypes.<String, Silence>keyValueStore())), now, timeline);
        attached = new Attached(streams, views, new Api(views, cluster, timeline, now, config.zone(), closedRetentionMillis),
                new EventStream(timeline, config.maxStreams()), timeline, operator);
    }

    private Attached current() throws HttpError {
        Attached now = attached;
        if (now == null) {
            throw new HttpError(503, "starting", "Bellwether is starting; the state is not queryable yet", Map.of("Retry-After", "2"));
        }
        return now;
    }

    /**
     * The week's recurring issues as RecurringIssues records, across accounts first, then one per account that opened
     * tickets in the week; empty unless this instance leads (holds partition 0 of the ticket state), so that one
     * instance of a cluster reports. The counts are the whole cluster's.
     */
    public List<io.bellwether.events.RecurringIssues> weeklyRecurringIssues(int top) throws HttpError {
        Attached now = current();
        KeyQueryMetadata lead = now.streams.queryMetadataForKey(StoreNames.TICKET_STATE, "", (String topic, String key, Object value, int count) ->
                java.util.Optional.of(java.util.Set.of(0)));
        if (lead == null || !lead.activeHost().equals(HostInfo.buildFromEndpoint(applicationServer()))) {
            return List.of();
        }
        long at = now.api.now();
        List<io.bellwether.events.RecurringIssues> out = new java.util.ArrayList<>();
        Views.Recurring all = now.api.recurringTotal(at, "7d", null);
        out.add(RecurringIssuesRecords.of("all", all, top));
        for (String account : accountsIn(all)) {
            out.add(RecurringIssuesRecords.of(account, now.api.recurringTotal(at, "7d", account), top));
        }
        return out;
    }

    private static java.util.Set<String> accountsIn(Views.Recurring all) {
        java.util.Set<String> accounts = new java.util.TreeSet<>();
        all.counts().values().forEach(values -> values.values().forEach(c -> accounts.addAll(c.accounts())));
        return accounts;
    }

    private OperatorApi operator() throws HttpError {
        OperatorApi operator = current().operator;
        if (operator == null) {
            throw new HttpError(405, "read_only", "This instance serves the state read-only (no operator writes configured)");
        }
        return operator;
    }

    private void health(Context ctx) throws IOException {
        Attached now = attached;
        Map<String, Object> body = new LinkedHashMap<>();
        KafkaStreams.State state = now == null ? null : now.streams.state();
        boolean up = state == null || !(state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                || state == KafkaStreams.State.PENDING_ERROR);
        body.put("status", up ? "UP" : "DOWN");
        body.put("streams", state == null ? "STARTING" : state.name());
        Web.json(ctx, up ? 200 : 503, body);
    }

    private void ready(Context ctx) throws IOException {
        Attached now = attached;
        Map<String, Object> body = new LinkedHashMap<>();
        KafkaStreams.State state = now == null ? null : now.streams.state();
        boolean running = state == KafkaStreams.State.RUNNING;
        boolean queryable = running && now.views.queryable();
        boolean timelineCaughtUp = now != null && now.timeline.caughtUp();
        boolean ready = running && queryable && timelineCaughtUp;
        body.put("ready", ready);
        body.put("streams", state == null ? "STARTING" : state.name());
        body.put("storesQueryable", queryable);
        body.put("timelineCaughtUp", timelineCaughtUp);
        Web.json(ctx, ready ? 200 : 503, body);
    }

    private void metrics(Context ctx) throws IOException {
        MetricsExposition.Scrape scrape = exposition.scrape(ctx.header("Accept"));
        ctx.status(200).contentType(scrape.contentType()).result(scrape.body());
    }

    /** With a token configured, /api and /metrics need it: as a bearer header, or {@code access_token=} for EventSource. */
    private void authorize(Context ctx) throws HttpError {
        if (ctx.path().equals("/api/openapi.yaml")) {
            return;
        }
        byte[] expected = config.token().getBytes(StandardCharsets.UTF_8);
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : ctx.queryParam("access_token");
        if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "unauthorized", "This endpoint needs 'Authorization: Bearer <http.auth.token>'",
                    Map.of("WWW-Authenticate", "Bearer realm=\"bellwether\""));
        }
    }

    @Override
    public void close() {
        Attached now = attached;
        if (now != null) {
            now.stream.closeAll();
        }
        http.stop();
    }

    /** The dashboard's files and the OpenAPI document, from the classpath; nothing outside that folder. */
    static final class StaticFiles {
        private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
                "css", "text/css; charset=utf-8", "yaml", "application/yaml; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");

        static void serve(Context ctx, String name) throws IOException, HttpError {
            if (!name.matches("[a-z0-9][a-z0-9.-]*\\.(html|js|css|yaml|svg|png)")) {
                throw new HttpError(404, "not_found", "No such file: " + name);
            }
            try (InputStream in = QueryServer.class.getResourceAsStream("/bellwether/dashboard/" + name)) {
                if (in == null) {
                    throw new HttpError(404, "not_found", "No such file: " + name);
                }
                String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
                ctx.header("Content-Security-Policy",
                        "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:");
                ctx.status(200).contentType(type).result(in.readAllBytes());
            }
        }
    }
}
