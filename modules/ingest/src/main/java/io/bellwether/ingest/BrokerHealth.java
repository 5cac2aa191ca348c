package io.bellwether.ingest;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether Kafka can be reached, known before a delivery has to find out: a daemon asks the cluster for its description
 * every {@code interval} and counts it down when no answer comes within {@code timeout}. While it is down the receiver
 * answers 503 + Retry-After at once instead of holding every worker thread for the full acknowledgement timeout (which
 * queued deliveries until their connections were reset); a delivery already waiting gives up as soon as it is seen down.
 */
final class BrokerHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerHealth.class);

    private final Admin admin;
    private final Duration timeout;
    private final ScheduledExecutorService probe;
    private volatile boolean up = true;
    private volatile long downSince;

    BrokerHealth(Map<String, Object> clientProperties, Duration interval, Duration timeout) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.keySet().removeIf(k -> !AdminClientConfig.configNames().contains(k));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bellwether-ingest-health");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, (int) Math.min(1000, timeout.toMillis()));
        this.admin = Admin.create(props);
        this.timeout = timeout;
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bellwether-ingest-kafka-health");
            t.setDaemon(true);
            return t;
        });
        probe.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean up() {
        return up;
    }

    /** Since when Kafka has been unreachable (epoch ms), for the 503's reason. */
    long downSince() {
        return downSince;
    }

    private void check() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(timeout.toMillis() + 250, TimeUnit.MILLISECONDS);
            if (!up) {
                log.info("Kafka is reachable again after {} ms; accepting deliveries", System.currentTimeMillis() - downSince);
            }
            up = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (up) {
                downSince = System.currentTimeMillis();
                log.warn("Kafka is unreachable ({}); answering deliveries 503 until it is back", e.getClass().getSimpleName());
            }
            up = false;
        }
    }

    @Override
    public void close() {
        probe.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
