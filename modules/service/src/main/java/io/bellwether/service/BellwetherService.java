package io.bellwether.service;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.rules.Rules;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.ingest.IngestConfig;
import io.bellwether.ingest.IngestMetrics;
import io.bellwether.ingest.KafkaPublisher;
import io.bellwether.ingest.WebhookReceiver;
import io.bellwether.query.QueryConfig;
import io.bellwether.query.QueryServer;
import io.bellwether.query.SignalTimeline;
import io.bellwether.events.RiskSignal;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One running Bellwether: the runtime (platform, topics, schemas, metrics over JMX) and the detection topology on
 * it. Started in dependency order, closed in reverse; a failure while starting closes whatever had already
 * started, so nothing is left running.
 */
public final class BellwetherService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BellwetherService.class);

    private final Runtime runtime;
    private final DetectionApp detection;

    private BellwetherService(Runtime runtime, DetectionApp detection) {
        this.runtime = runtime;
        this.detection = detection;
    }

    /**
     * Variations a command may ask for.
     *
     * @param applicationId   overrides the configured application id (null: keep it)
     * @param beforeDetection runs once topics exist and before the topology starts (e.g. to position its consumer group)
     */
    public record Options(String applicationId, BiConsumer<Admin, String> beforeDetection, boolean withReceiver) {
        public static Options standard() {
            return new Options(null, (admin, applicationId) -> { }, true);
        }
    }

    public static BellwetherService start(ServiceConfig config, Rules rules, DetectConfig detectConfig) {
        return start(config, rules, detectConfig, Options.standard());
    }

    public static BellwetherService start(ServiceConfig config, Rules rules, DetectConfig detectConfig, Options options) {
        Runtime runtime = Runtime.start(config, detectConfig);
        try {
            String applicationId = options.applicationId() != null ? options.applicationId() : config.applicationId();
            options.beforeDetection().accept(runtime.admin(), applicationId);
            QueryConfig queryConfig = QueryConfig.from(config.settings());
            // The query server listens first: the topology advertises its address to the other instances.
            QueryServer query = queryConfig.enabled() ? QueryServer.start(queryConfig, runtime.metrics()) : null;
            if (query != null) {
                runtime.closeables.push(query);
            }
            Map<String, Object> overrides = new java.util.HashMap<>();
            if (query != null) {
                overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, query.applicationServer());
            }
            if (config.isEmbedded()) {
                // The embedded broker serves this one process: no other instance could hold a standby, and Streams would
                // warn about it at every rebalance.
                overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
            }
            DetectionApp detection = DetectionApp.start(applicationId, runtime.platform().clientProperties(),
                    config.dataDir().resolve("streams"), config.settings().integer("streams.threads"), detectConfig, rules,
                    runtime.serdes(), new DetectMetrics(runtime.metrics()), overrides);
            runtime.closeables.push(detection);
            if (query != null) {
                SignalTimeline timeline = new SignalTimeline(runtime.platform().clientProperties(), runtime.serdes().value(RiskSignal.class),
                        List.of(detectConfig.topics().riskSignals(), detectConfig.topics().ticketAlerts(),
                        detectConfig.topics().securitySignals(), detectConfig.topics().peopleSignals()), queryConfig.timelineSize()).start();
                runtime.closeables.push(timeline);
                // The ticket stage's partitions are ticket-events'; the account stage's, the aggregate feed's.
                Map<String, String> storeTopics = Map.of(io.bellwether.detect.StoreNames.TICKET_STATE, detectConfig.topics().ticketEvents(),
                        io.bellwether.detect.StoreNames.ACCOUNT_STATE, applicationId + "-" + io.bellwether.detect.BellwetherTopology.AGGREGATE_FEED + "-repartition");
                io.bellwether.query.KafkaOperatorWrites writes = new io.bellwether.query.KafkaOperatorWrites(
                        runtime.platform().clientProperties(), runtime.serdes(), detectConfig.topics());
                runtime.closeables.push(writes);
                query.attach(detection.streams(), rules, timeline, detectConfig.timeDriver() == DetectConfig.TimeDriver.EVENT_TIME,
                        detectConfig.closedRetention().toMillis(), storeTopics, writes);
                runtime.query = query;
                runtime.recurringIssues = new RecurringIssuesPublisher(query, runtime.platform().clientProperties(), runtime.serdes(),
                        detectConfig.topics().recurringIssues(), queryConfig.zone()).start();
                runtime.closeables.push(runtime.recurringIssues);
            }
            if (options.withReceiver() && config.settings().bool("ingest.enabled")) {
                runtime.startReceiver();
            }
            return new BellwetherService(runtime, detection);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return detection.awaitRunning(timeout);
    }

    public Runtime runtime() {
        return runtime;
    }

    public Platform platform() {
        return runtime.platform();
    }

    public EventSerdes serdes() {
        return runtime.serdes();
    }

    public DetectionApp detection() {
        return detection;
    }

    public Admin admin() {
        return runtime.admin();
    }

    public MetricRegistry metrics() {
        return runtime.metrics();
    }

    public ServiceConfig config() {
        return runtime.config();
    }

    @Override
    public void close() {
        runtime.close();
    }

    /**
     * What every command runs on: the platform (embedded or external), an admin client, the registry and serdes,
     * Bellwether's topics and schemas, and the metrics registry over JMX.
     */
    public static final class Runtime implements AutoCloseable {
        private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
        private final ServiceConfig config;
        private final MetricRegistry metrics = new MetricRegistry();
        private Platform platform;
        private Admin admin;
        private EventSerdes serdes;
        private WebhookReceiver receiver;
        private QueryServer query;
        private RecurringIssuesPublisher recurringIssues;

        private Runtime(ServiceConfig config) {
            this.config = config;
        }

        public static Runtime start(ServiceConfig config, DetectConfig detectConfig) {
            return start(config, detectConfig.topics());
        }

        /** @param topics Bellwether's topics to create and register schemas for, or null for none (backtests bring their own) */
        public static Runtime start(ServiceConfig config, TopicNames topics) {
            Runtime runtime = new Runtime(config);
            try {
                JmxReporter jmx = JmxReporter.forRegistry(runtime.metrics).inDomain("bellwether").build();
                jmx.start();
                runtime.closeables.push(jmx);
                runtime.platform = Platform.start(config);
                runtime.closeables.push(runtime.platform);
                runtime.admin = Admin.create(runtime.platform.clientProperties());
                runtime.closeables.push(runtime.admin);
                if (topics != null && config.settings().bool("topics.create")) {
                    TopicSetup.createTopics(runtime.admin, topics, config.partitions(), config.replicationFactor());
                }
                runtime.serdes = new EventSerdes(runtime.platform.registryClient(), config.settings().bool("registry.auto-register"));
                if (topics != null) {
                    TopicSetup.registerSchemas(runtime.serdes, topics, config.settings().optional("registry.compatibility"));
                }
                return runtime;
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
        }

        public ServiceConfig config() {
            return config;
        }

        public Platform platform() {
            return platform;
        }

        public Admin admin() {
            return admin;
        }

        public EventSerdes serdes() {
            return serdes;
        }

        public MetricRegistry metrics() {
            return metrics;
        }

        /** The webhook receiver, once started (null before, or when disabled). */
        public WebhookReceiver receiver() {
            return receiver;
        }

        /** The query API and dashboard, once started (null before, or when disabled). */
        public QueryServer query() {
            return query;
        }

        /** The weekly recurring-issues report, or null without a query server. */
        public RecurringIssuesPublisher recurringIssues() {
            return recurringIssues;
        }

        /** Starts the webhook receiver on this runtime's cluster and registry; it closes with the runtime. */
        void startReceiver() {
            IngestConfig ingest = IngestConfig.from(config.settings());
            TopicNames topics = config.topics();
            KafkaPublisher publisher = new KafkaPublisher(platform.clientProperties(), serdes.value(TicketEvent.class),
                    topics.ticketEvents(), topics.deadLetter(), ingest.ackTimeout());
            closeables.push(publisher);
            receiver = new WebhookReceiver(ingest, publisher, new IngestMetrics(metrics), Clock.systemUTC()).start();
            closeables.push(receiver);
        }

        @Override
        public synchronized void close() {
            while (!closeables.isEmpty()) {
                AutoCloseable next = closeables.pop();
                try {
                    next.close();
                } catch (Exception e) {
                    log.warn("Error while stopping {}: {}", next.getClass().getSimpleName(), e.getMessage());
                }
            }
        }
    }
}
