package io.bellwether.service;

import io.bellwether.embedded.EmbeddedStack;
import io.bellwether.serde.ConfluentRegistryClient;
import io.bellwether.serde.SchemaRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Where Bellwether's Kafka and schema registry are: the embedded default (a broker in this JVM and an Apicurio
 * child process, under the data directory) or an existing cluster and registry given in configuration.
 */
public final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final String bootstrapServers;
    private final String registryUrl;
    private final Map<String, Object> clientProperties;
    private final String registryAuth;
    private final EmbeddedStack embedded;

    private Platform(String bootstrapServers, String registryUrl, Map<String, Object> clientProperties, String registryAuth,
                     EmbeddedStack embedded) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.clientProperties = clientProperties;
        this.registryAuth = registryAuth;
        this.embedded = embedded;
    }

    public static Platform start(ServiceConfig config) {
        Map<String, Object> client = new HashMap<>(config.settings().kafkaClientProperties());
        String auth = config.settings().optional("registry.basic-auth");
        if (!config.isEmbedded()) {
            if (config.registryUrl() == null) {
                throw new io.bellwether.common.config.ConfigException("kafka.bootstrap.servers is set but registry.url is not: "
                        + "an external cluster needs a Confluent-compatible schema registry URL too (BELLWETHER_REGISTRY_URL)");
            }
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            log.info("Using Kafka at {} and the schema registry at {}", config.bootstrapServers(),
                    io.bellwether.common.config.Settings.maskCredentials(config.registryUrl()));
            return new Platform(config.bootstrapServers(), config.registryUrl(), client, auth, null);
        }
        Path dataDir = config.dataDir().toAbsolutePath();
        String distribution = config.settings().optional("embedded.registry.distribution");
        EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(dataDir, config.settings().integer("embedded.kafka.port"),
                config.settings().integer("embedded.registry.port"), distribution == null ? null : Path.of(distribution),
                EmbeddedStack.defaultCacheDir(), Map.of("num.partitions", String.valueOf(config.partitions()))));
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        String registry = config.registryUrl() != null ? config.registryUrl() : stack.registryUrl();
        return new Platform(stack.bootstrapServers(), registry, client, auth, stack);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** Kafka client properties (bootstrap servers, security) every client of Bellwether uses. */
    public Map<String, Object> clientProperties() {
        return new HashMap<>(clientProperties);
    }

    public SchemaRegistry registryClient() {
        return new ConfluentRegistryClient(registryUrl, registryAuth, Duration.ofSeconds(10));
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
