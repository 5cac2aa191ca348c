package io.bellwether.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small client of the Confluent Schema Registry REST API (also served by Apicurio at
 * {@code /apis/ccompat/v7} and by Karapace). Ids are cached both ways: a schema id never changes its
 * content, and a (subject, schema) pair never changes its id, so after warm-up the hot path makes no calls.
 *
 * <p>Transient failures (connection refused, 5xx) are retried a few times with back-off; everything
 * else fails at once with a message naming the registry and the subject or id.
 */
public final class ConfluentRegistryClient implements SchemaRegistry {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int ATTEMPTS = 3;

    private final String baseUrl;
    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param baseUrl  registry base URL, e.g. {@code http://localhost:8081} or
     *                 {@code http://localhost:8080/apis/ccompat/v7}
     * @param basicAuth {@code user:password} for HTTP basic auth, or null
     */
    public ConfluentRegistryClient(String baseUrl, String basicAuth, Duration timeout) {
        this.baseUrl = stripTrailingSlash(Objects.requireNonNull(baseUrl, "registry url"));
        this.timeout = timeout;
        this.authorization = basicAuth == null || basicAuth.isBlank() ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public ConfluentRegistryClient(String baseUrl) {
        this(baseUrl, null, Duration.ofSeconds(10));
    }

    @Override
    public String url() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        String cacheKey = subject + '\u0000' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema),
                    "registering a schema under subject '" + subject + "'");
        } catch (IncompatibleSchemaException refused) {
            // Two instances registering the same new schema at once: Apicurio answers the second 409 "already exists".
            // The same schema under the subject is a success; only a different, incompatible one is a refusal.
            Integer existing = alreadyRegistered(subject, schema);
            if (existing == null) {
                throw refused;
            }
            idsBySubjectAndSchema.put(cacheKey, existing);
            schemasById.putIfAbsent(existing, schema);
            return existing;
        }
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("Schema registry at " + baseUrl + " answered without an id when registering subject '"
                    + subject + "': " + answer, null);
        }
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /**
     * The id of exactly this schema under the subject, or null when the subject does not hold it. Asked a few times:
     * the concurrent registration that made ours collide may not be visible yet.
     */
    private Integer alreadyRegistered(String subject, Schema schema) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                int id = call("POST", "/subjects/" + enc(subject), schemaBody(schema), "looking up a schema under subject '" + subject + "'")
                        .path("id").asInt(-1);
                if (id >= 0) {
                    return id;
                }
            } catch (SchemaRegistryException e) {
                if (e.httpStatus() != 404) {
                    return null;
                }
            }
            sleep(attempt * 100L);
        }
        return null;
    }

    @Override
    public int lookup(String subject, Schema schema) {
        String cacheKey = subject + '\u0000' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + enc(subject), schemaBody(schema),
                "looking up a schema under subject '" + subject + "' (auto-registration is off)");
        int id = answer.path("id").asInt(-1);
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "fetching schema id " + id);
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("Schema registry at " + baseUrl + " returned no schema text for id " + id, null);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("Schema id " + id + " from registry " + baseUrl + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        JsonNode answer;
        try {
            answer = call("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest?verbose=true",
                    schemaBody(schema), "checking compatibility under subject '" + subject + "'");
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                // Nothing registered yet: anything is compatible with nothing.
                return new CompatibilityResult(true, List.of("subject '" + subject + "' has no versions yet"));
            }
            throw e;
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.asText()));
        return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), messages);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = json.createObjectNode().put("compatibility", level);
        String path = subject == null ? "/config" : "/config/" + enc(subject);
        String what = "setting compatibility " + level + (subject == null ? " globally" : " on subject '" + subject + "'");
        for (int attempt = 1; ; attempt++) {
            try {
                call("PUT", path, body.toString(), what);
                return;
            } catch (IncompatibleSchemaException raced) {
                // Another instance created the subject's rule at the same moment (Apicurio: 409 "rule already exists");
                // the rule now exists, so setting it again updates it. Same level already: done.
                if (level.equalsIgnoreCase(currentCompatibility(path))) {
                    return;
                }
                if (attempt >= ATTEMPTS) {
                    throw raced;
                }
                sleep(attempt * 100L);
            }
        }
    }

    /** The compatibility level set at {@code path}, or null when none can be read. */
    private String currentCompatibility(String path) {
        try {
            JsonNode answer = call("GET", path, null, "reading compatibility at " + path);
            String level = answer.path("compatibilityLevel").asText(null);
            return level != null ? level : answer.path("compatibility").asText(null);
        } catch (SchemaRegistryException e) {
            return null;
        }
    }

    private String schemaBody(Schema schema) {
        ObjectNode body = json.createObjectNode();
        body.put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        return body.toString();
    }

    private JsonNode call(String method, String path, String body, String what) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        SchemaRegistryException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return interpret(response, what);
            } catch (IOException e) {
                last = new SchemaRegistryException("Schema registry at " + baseUrl + " is unreachable while " + what + ": "
                        + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while " + what + " at schema registry " + baseUrl, e);
            } catch (SchemaRegistryException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                last = e;
            }
            sleep(attempt * 250L);
        }
        throw last;
    }

    private JsonNode interpret(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        JsonNode node;
        try {
            node = response.body() == null || response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            node = json.createObjectNode().put("message", response.body());
        }
        if (status >= 200 && status < 300) {
            return node;
        }
        int errorCode = node.path("error_code").asInt(status);
        String message = node.path("message").asText(response.body());
        String text = "Schema registry at " + baseUrl + " refused " + what + ": HTTP " + status + " (error " + errorCode + ") " + message;
        if (status == 409 || errorCode == 409 || errorCode == 42201) {
            throw new IncompatibleSchemaException(text, status, errorCode);
        }
        throw new SchemaRegistryException(text, status, errorCode, null);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
            if (e.getCause() != null) {
                message += " (" + e.getCause().getClass().getSimpleName() + ")";
            }
        }
        return message;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
