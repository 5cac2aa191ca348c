package io.bellwether.query;

import io.bellwether.common.config.Settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * Settings of the query surface. The advertised address is what other instances use to reach this one, so it must
 * be routable from them: a wildcard bind address never is, and is replaced by the machine's name.
 */
public record QueryConfig(boolean enabled, String host, int port, String advertisedHost, String token, int threads, int maxStreams,
                          int timelineSize, ZoneId zone, Duration peerTimeout) {

    public static Map<String, String> defaults() {
        return Settings.resource(QueryConfig.class, "/bellwether-query-defaults.properties");
    }

    public static QueryConfig from(Settings settings) {
        String host = settings.get("http.host");
        String advertised = settings.optional("http.advertised-host");
        if (advertised == null) {
            advertised = "0.0.0.0".equals(host) || "::".equals(host) ? localName() : host;
        }
        return new QueryConfig(settings.bool("http.enabled"), host, settings.integer("http.port"), advertised,
                settings.optional("http.auth.token"), settings.integer("http.threads"), settings.integer("http.max-streams"),
                settings.integer("query.timeline.size"), ZoneId.of(settings.get("query.zone")), settings.duration("query.peer-timeout"));
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
