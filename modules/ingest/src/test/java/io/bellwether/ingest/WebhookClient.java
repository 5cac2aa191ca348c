package io.bellwether.ingest;

import io.bellwether.ingest.auth.HmacAuthenticator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Posts deliveries the way each PSA does, signed with the secrets of {@link Fixtures#settings}. */
final class WebhookClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    WebhookClient(int port) {
        this.port = port;
    }

    /** The headers a correctly configured sender of {@code source} adds. */
    static Map<String, String> signedHeaders(String source, byte[] body, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        String secret = source + "-secret";
        switch (source) {
            case "zendesk" -> {
                String ts = now.toString();
                headers.put("X-Zendesk-Webhook-Signature-Timestamp", ts);
                headers.put("X-Zendesk-Webhook-Signature", HmacAuthenticator.zendesk(secret, Duration.ofMinutes(5)).sign(body, ts));
            }
            case "jira" -> headers.put("X-Hub-Signature", HmacAuthenticator.jira(secret).sign(body, null));
            case "autotask" -> headers.put("X-Hook-Signature", HmacAuthenticator.autotask(secret).sign(body, null));
            case "connectwise" -> headers.put("x-content-signature", HmacAuthenticator.connectWise(secret).sign(body, null));
            case "halopsa" -> headers.put("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(("halo:" + secret).getBytes(StandardCharsets.UTF_8)));
            case "servicenow", "freshservice" -> headers.put("Authorization", "Bearer " + secret);
            case "generic" -> {
                String ts = String.valueOf(now.getEpochSecond());
                headers.put("X-Bellwether-Timestamp", ts);
                headers.put("X-Bellwether-Signature", HmacAuthenticator.bellwether(secret, Duration.ofMinutes(5)).sign(body, ts));
            }
            default -> throw new IllegalArgumentException(source);
        }
        return headers;
    }

    HttpResponse<String> post(String source, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/" + source))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postSigned(String source, byte[] body) throws Exception {
        return post(source, body, signedHeaders(source, body, Instant.now()));
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
