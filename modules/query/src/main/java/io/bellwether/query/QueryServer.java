package io.bellwether.query;

import com.codahale.metrics.MetricRegistry;
import io.bellwether.common.http.HttpApp;
import io.bellwether.common.http.HttpError;
import io.bellwether.common.http.Request;
import io.bellwether.common.metrics.MetricsExposition;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.StoreNames;
import io.bellwether.events.Silence;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.HostInfo;

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
    private final HttpApp http;
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
        this.http = HttpApp.create("query", config.host(), config.port(), config.threads() + config.maxStreams());
        http.exact("/health", this::health)
                .exact("/ready", this::ready)
                .exact("/metrics", guarded(this::metrics))
                .exact("/api/openapi.yaml", request -> StaticFiles.serve(request, "openapi.yaml"))
                .exact("/api/stream", guarded(request -> current().stream.handle(request)))
                // Whole path segments: a bare prefix "/api/owners" would also take "/api/ownership-gaps".
                .exact("/api/silences", guarded(request -> operator().silences(request)))
                .route("/api/silences/", guarded(request -> operator().silences(request)))
                .route("/api/owners/", guarded(request -> operator().owners(request)))
                .exact("/api/acks", guarded(request -> operator().acks(request)))
                .route("/api/", guarded(request -> current().api.handle(request)))
                .exact("/", request -> StaticFiles.serve(request, "index.html"))
                .route("/dashboard/", request -> StaticFiles.serve(request, request.path().substring("/dashboard/".length())));
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

    private OperatorApi operator() throws HttpError {
        OperatorApi operator = current().operator;
        if (operator == null) {
            throw new HttpError(405, "read_only", "This instance serves the state read-only (no operator writes configured)");
        }
        return operator;
    }

    private void health(Request request) throws IOException {
        Attached now = attached;
        Map<String, Object> body = new LinkedHashMap<>();
        KafkaStreams.State state = now == null ? null : now.streams.state();
        boolean up = state == null || !(state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                || state == KafkaStreams.State.PENDING_ERROR);
        body.put("status", up ? "UP" : "DOWN");
        body.put("streams", state == null ? "STARTING" : state.name());
        request.sendJson(up ? 200 : 503, body);
    }

    private void ready(Request request) throws IOException {
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
        request.sendJson(ready ? 200 : 503, body);
    }

    private void metrics(Request request) throws IOException {
        MetricsExposition.Scrape scrape = exposition.scrape(request.header("Accept"));
        request.send(200, scrape.contentType(), scrape.body());
    }

    private HttpApp.Handler guarded(HttpApp.Handler handler) {
        if (config.token() == null) {
            return handler;
        }
        byte[] expected = config.token().getBytes(StandardCharsets.UTF_8);
        return request -> {
            String header = request.header("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                    : request.query("access_token");
            if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                throw new HttpError(401, "unauthorized", "This endpoint needs 'Authorization: Bearer <http.auth.token>'",
                        Map.of("WWW-Authenticate", "Bearer realm=\"bellwether\""));
            }
            handler.handle(request);
        };
    }

    @Override
    public void close() {
        http.close();
    }

    /** The dashboard's files and the OpenAPI document, from the classpath; nothing outside that folder. */
    static final class StaticFiles {
        private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
                "css", "text/css; charset=utf-8", "yaml", "application/yaml; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");

        static void serve(Request request, String name) throws IOException, HttpError {
            request.requireMethod("GET", "HEAD");
            if (!name.matches("[a-z0-9][a-z0-9.-]*\\.(html|js|css|yaml|svg|png)")) {
                throw new HttpError(404, "not_found", "No such file: " + name);
            }
            try (InputStream in = QueryServer.class.getResourceAsStream("/bellwether/dashboard/" + name)) {
                if (in == null) {
                    throw new HttpError(404, "not_found", "No such file: " + name);
                }
                String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
                request.send(200, type, in.readAllBytes(), Map.of("Content-Security-Policy",
                        "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:"));
            }
        }
    }
}
