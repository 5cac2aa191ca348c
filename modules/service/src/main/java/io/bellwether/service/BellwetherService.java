package io.bellwether.service;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.rules.Rules;
import io.bellwether.serde.EventSerdes;
import io.bellwether.serde.SchemaRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * One running Bellwether: platform (embedded or external), topics and schemas, the detection topology, and
 * metrics over JMX. Started in dependency order, closed in reverse; a failure while starting closes whatever
 * had already started, so nothing is left running.
 */
public final class BellwetherService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BellwetherService.class);

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final ServiceConfig config;
    private final MetricRegistry metricRegistry;
    private Platform platform;
    private EventSerdes serdes;
    private DetectionApp detection;
    private Admin admin;

    private BellwetherService(ServiceConfig config, MetricRegistry metricRegistry) {
        this.config = config;
        this.metricRegistry = metricRegistry;
    }

    /**
     * Variations a command may ask for.
     *
     * @param applicationId   overrides the configured application id (null: keep it)
     * @param beforeDetection runs once topics exist and before the topology starts (e.g. to position its consumer group)
     */
    public record Options(String applicationId, java.util.function.BiConsumer<Admin, String> beforeDetection) {
        public static Options standard() {
            return new Options(null, (admin, applicationId) -> { });
        }
    }

    public static BellwetherService start(ServiceConfig config, Rules rules, DetectConfig detectConfig) {
        return start(config, rules, detectConfig, Options.standard());
    }

    public static BellwetherService start(ServiceConfig config, Rules rules, DetectConfig detectConfig, Options options) {
        BellwetherService service = new BellwetherService(config, new MetricRegistry());
        try {
            service.startAll(rules, detectConfig, options);
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private void startAll(Rules rules, DetectConfig detectConfig, Options options) {
        JmxReporter jmx = JmxReporter.forRegistry(metricRegistry).inDomain("bellwether").build();
        jmx.start();
        closeables.push(jmx);

        platform = Platform.start(config);
        closeables.push(platform);
        admin = Admin.create(platform.clientProperties());
        closeables.push(admin);
        if (config.settings().bool("topics.create")) {
            TopicSetup.createTopics(admin, detectConfig.topics(), config.partitions(), config.replicationFactor());
        }
        SchemaRegistry registry = platform.registryClient();
        serdes = new EventSerdes(registry, config.settings().bool("registry.auto-register"));
        TopicSetup.registerSchemas(serdes, detectConfig.topics(), config.settings().optional("registry.compatibility"));

        String applicationId = options.applicationId() != null ? options.applicationId() : config.applicationId();
        options.beforeDetection().accept(admin, applicationId);
        detection = DetectionApp.start(applicationId, platform.clientProperties(), config.dataDir().resolve("streams"),
                config.settings().integer("streams.threads"), detectConfig, rules, serdes, new DetectMetrics(metricRegistry), Map.of());
        closeables.push(detection);
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return detection.awaitRunning(timeout);
    }

    public Platform platform() {
        return platform;
    }

    public EventSerdes serdes() {
        return serdes;
    }

    public DetectionApp detection() {
        return detection;
    }

    public Admin admin() {
        return admin;
    }

    public MetricRegistry metrics() {
        return metricRegistry;
    }

    public ServiceConfig config() {
        return config;
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
