package io.bellwether.ingest;

import io.bellwether.common.config.ConfigException;
import io.bellwether.common.config.Settings;
import io.bellwether.ingest.adapters.Adapter;
import io.bellwether.ingest.adapters.AutotaskAdapter;
import io.bellwether.ingest.adapters.ConnectWiseAdapter;
import io.bellwether.ingest.adapters.FreshserviceAdapter;
import io.bellwether.ingest.adapters.GenericAdapter;
import io.bellwether.ingest.adapters.GenericMapping;
import io.bellwether.ingest.adapters.HaloAdapter;
import io.bellwether.ingest.adapters.JiraAdapter;
import io.bellwether.ingest.adapters.ServiceNowAdapter;
import io.bellwether.ingest.adapters.Vocabulary;
import io.bellwether.ingest.adapters.ZendeskAdapter;
import io.bellwether.ingest.auth.Authenticator;
import io.bellwether.ingest.auth.BasicAuthenticator;
import io.bellwether.ingest.auth.HmacAuthenticator;
import io.bellwether.ingest.auth.NoAuthentication;
import io.bellwether.ingest.auth.TokenAuthenticator;
import io.bellwether.ingest.auth.Unconfigured;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The receiver's settings ({@code ingest.*}) and the sources built from them. Secrets come only from configuration
 * (file, {@code BELLWETHER_INGEST_<SOURCE>_SECRET}, flags); a source without its secret is disabled and says so.
 */
public record IngestConfig(String host, int port, int threads, int maxBodyBytes, Duration ackTimeout, Map<String, Source> sources) {
    public static final List<String> SOURCES = List.of("connectwise", "autotask", "halopsa", "zendesk", "jira", "servicenow",
            "freshservice", "generic");

    /** The receiver's defaults, to be layered with the rest of the service's. */
    public static Map<String, String> defaults() {
        return Settings.resource(IngestConfig.class, "/bellwether-ingest-defaults.properties");
    }

    public static IngestConfig from(Settings settings) {
        Duration window = settings.duration("ingest.replay-window");
        double rate = Double.parseDouble(settings.get("ingest.rate-limit"));
        int burst = settings.integer("ingest.rate-burst");
        Map<String, Source> sources = new LinkedHashMap<>();
        for (String name : SOURCES) {
            try {
                Adapter adapter = adapter(name, settings);
                sources.put(name, new Source(name, authenticator(name, settings, window), adapter, new RateLimiter(rate, burst)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("ingest." + name + ": " + e.getMessage());
            }
        }
        return new IngestConfig(settings.get("ingest.host"), settings.integer("ingest.port"), settings.integer("ingest.threads"),
                settings.integer("ingest.max-body-bytes"), settings.duration("ingest.ack-timeout"), Map.copyOf(sources));
    }

    static Authenticator authenticator(String source, Settings settings, Duration window) {
        String auth = settings.get("ingest." + source + ".auth").trim().toLowerCase(java.util.Locale.ROOT);
        String secretKey = "ingest." + source + ".secret";
        String secret = settings.optional(secretKey);
        if (auth.equals("none")) {
            return new NoAuthentication();
        }
        if (secret == null || secret.isBlank()) {
            return new Unconfigured(Settings.envName(secretKey) + " (or " + secretKey + ")");
        }
        return switch (auth) {
            case "signature" -> switch (source) {
                case "zendesk" -> HmacAuthenticator.zendesk(secret, window);
                case "jira" -> HmacAuthenticator.jira(secret);
                case "autotask" -> HmacAuthenticator.autotask(secret);
                case "connectwise" -> HmacAuthenticator.connectWise(secret);
                default -> throw new IllegalArgumentException("auth=signature is for zendesk, jira, autotask and connectwise; use hmac or token");
            };
            case "hmac" -> HmacAuthenticator.bellwether(secret, window);
            case "token" -> new TokenAuthenticator(secret);
            case "basic" -> {
                String user = settings.optional("ingest." + source + ".username");
                if (user == null || user.isBlank()) {
                    throw new IllegalArgumentException("auth=basic needs ingest." + source + ".username");
                }
                yield new BasicAuthenticator(user, secret);
            }
            default -> throw new IllegalArgumentException("auth '" + auth + "' is not one of signature, hmac, token, basic, none");
        };
    }

    static Adapter adapter(String source, Settings settings) {
        String statusMap = settings.optional("ingest." + source + ".status-map");
        String priorityMap = settings.optional("ingest." + source + ".priority-map");
        return switch (source) {
            case "jira" -> new JiraAdapter(Vocabulary.empty().withOverrides(statusMap, priorityMap), settings.optional("ingest.jira.account-field"));
            case "zendesk" -> new ZendeskAdapter(new Vocabulary(ZendeskAdapter.STATUSES, Map.of()).withOverrides(statusMap, priorityMap));
            case "servicenow" -> new ServiceNowAdapter(new Vocabulary(ServiceNowAdapter.STATES, Map.of()).withOverrides(statusMap, priorityMap),
                    zone(settings, "ingest.servicenow.zone"));
            case "connectwise" -> new ConnectWiseAdapter(Vocabulary.empty().withOverrides(statusMap, priorityMap));
            case "autotask" -> new AutotaskAdapter(new Vocabulary(AutotaskAdapter.STATUSES, AutotaskAdapter.PRIORITIES).withOverrides(statusMap, priorityMap));
            case "halopsa" -> new HaloAdapter(new Vocabulary(HaloAdapter.STATUSES, HaloAdapter.PRIORITIES).withOverrides(statusMap, priorityMap),
                    zone(settings, "ingest.halopsa.zone"));
            case "freshservice" -> new FreshserviceAdapter(new Vocabulary(FreshserviceAdapter.STATUSES, FreshserviceAdapter.PRIORITIES)
                    .withOverrides(statusMap, priorityMap));
            case "generic" -> {
                String file = settings.optional("ingest.generic.mapping");
                GenericMapping mapping = file == null || file.isBlank() ? GenericMapping.canonical("generic")
                        : GenericMapping.load(java.nio.file.Path.of(file), "generic");
                yield new GenericAdapter(mapping, Vocabulary.empty().withOverrides(statusMap, priorityMap));
            }
            default -> throw new IllegalArgumentException("unknown source " + source);
        };
    }

    private static ZoneId zone(Settings settings, String key) {
        try {
            return ZoneId.of(settings.get(key));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(key + " '" + settings.get(key) + "' is not an IANA zone id");
        }
    }
}
