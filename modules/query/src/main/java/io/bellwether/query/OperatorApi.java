package io.bellwether.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.web.HttpError;
import io.bellwether.common.json.Json;
import io.bellwether.common.web.Web;
import io.javalin.http.Context;
import io.bellwether.detect.rules.DurationText;
import io.bellwether.events.AccountOwner;
import io.bellwether.events.Acknowledgement;
import io.bellwether.events.AuditEntry;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Silence;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What an operator can change where they look: acknowledge a signal's raise (who is on it, with a note), silence
 * signals (by dedup key, kind, account, subject or rule, for a while, with a reason), end a silence early, and name an
 * account's owner. Every change goes to the topic the topology reads (acks, control, account-owners) and is audited on the audit topic with who, when, what and through which
 * face. A silence's window is in the service's time (event time in replays and the demo), as the topology judges it.
 * Malformed requests are refused with 400 and the reason; nothing is written for them.
 */
final class OperatorApi {
    static final Set<String> MATCHER_KEYS = Set.of("kind", "ruleId", "accountId", "subjectId", "dedupKey");
    static final Duration LONGEST_SILENCE = Duration.ofDays(90);
    private static final Set<String> CLIENTS = Set.of("api", "cli", "dashboard");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final int BODY_LIMIT = 16 * 1024;

    private final OperatorWrites writes;
    private final Supplier<ReadOnlyKeyValueStore<String, Silence>> silences;
    private final LongSupplier now;
    private final SignalTimeline timeline;

    OperatorApi(OperatorWrites writes, Supplier<ReadOnlyKeyValueStore<String, Silence>> silences, LongSupplier now, SignalTimeline timeline) {
        this.writes = writes;
        this.silences = silences;
        this.now = now;
        this.timeline = timeline;
    }

    /**
     * {@code POST /api/acks}: acknowledges the current raise of {@code dedupKey} (or the raise {@code raisedAt} names,
     * for one older than the recent timeline). A resolved signal cannot be acknowledged.
     */
    void acknowledge(Context ctx) throws Exception {
        JsonNode body = body(ctx);
        String actor = actor(body);
        String dedupKey = text(body, "dedupKey", 500, false);
        String note = body.hasNonNull("note") ? text(body, "note", 500, true) : "";
        SignalTimeline.Entry latest = timeline.recent(e -> e.dedupKey().equals(dedupKey), 1).stream().findFirst().orElse(null);
        long raisedAt;
        if (body.hasNonNull("raisedAt")) {
            try {
                raisedAt = body.get("raisedAt").isNumber() ? body.get("raisedAt").asLong() : Instant.parse(body.get("raisedAt").asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new HttpError(400, "invalid_request", "'raisedAt' is not an ISO instant or epoch milliseconds: " + body.get("raisedAt").asText());
            }
        } else if (latest == null) {
            throw new HttpError(404, "not_found", "No signal " + dedupKey + " in the recent timeline; give 'raisedAt' (its firstRaisedAt) to acknowledge an older raise");
        } else {
            raisedAt = latest.firstRaisedAt();
        }
        if (latest != null && latest.firstRaisedAt() == raisedAt && latest.state().equals("RESOLVED")) {
            throw new HttpError(409, "resolved", "Signal " + dedupKey + " resolved at " + Instant.ofEpochMilli(latest.occurredAt()) + "; nothing to acknowledge");
        }
        long at = now.getAsLong();
        Acknowledgement ack = new Acknowledgement(dedupKey, Instant.ofEpochMilli(raisedAt), actor, Instant.ofEpochMilli(at), note);
        Map<String, String> detail = new TreeMap<>();
        detail.put("raisedAt", ack.getRaisedAt().toString());
        detail.put("note", note);
        AuditEntry audit = audit(ctx, actor, "signal.ack", dedupKey, detail);
        write(() -> writes.acknowledge(ack, audit));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dedupKey", dedupKey);
        answer.put("raisedAt", raisedAt);
        answer.put("by", actor);
        answer.put("at", at);
        answer.put("note", note);
        answer.put("audit", auditView(audit));
        Web.json(ctx, 201, answer);
    }

    /** {@code GET /api/silences/{id}}. */
    void silence(Context ctx, String id) throws HttpError, IOException {
        Web.json(ctx, 200, view(find(id), now.getAsLong()));
    }

    /** {@code PUT /api/owners/{accountId}}. */
    void setOwner(Context ctx, String accountId) throws Exception {
        JsonNode body = body(ctx);
        String actor = actor(body);
        if (!body.has("ownerId")) {
            throw new HttpError(400, "invalid_request", "'ownerId' is required: the accountable person, or null to record that nobody is");
        }
        String ownerId = body.get("ownerId").isNull() ? null : text(body, "ownerId", 200, true);
        String ownerName = body.hasNonNull("ownerName") ? text(body, "ownerName", 200, true) : null;
        long at = now.getAsLong();
        AccountOwner owner = new AccountOwner(accountId, ownerId, ownerName, Instant.ofEpochMilli(at));
        Map<String, String> detail = new TreeMap<>();
        detail.put("ownerId", ownerId == null ? "" : ownerId);
        if (ownerName != null) {
            detail.put("ownerName", ownerName);
        }
        detail.put("effectiveAt", Instant.ofEpochMilli(at).toString());
        AuditEntry audit = audit(ctx, actor, "owner.set", accountId, detail);
        write(() -> writes.owner(owner, audit));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accountId", accountId);
        answer.put("ownerId", ownerId);
        answer.put("ownerName", ownerName);
        answer.put("updatedAt", at);
        answer.put("audit", auditView(audit));
        Web.json(ctx, 200, answer);
    }

    /** {@code GET /api/silences}: the active ones, or all with {@code all=true}. */
    void listSilences(Context ctx) throws IOException, HttpError {
        long at = now.getAsLong();
        boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
        List<Map<String, Object>> out = new ArrayList<>();
        List<Silence> found = new ArrayList<>();
        try (KeyValueIterator<String, Silence> it = store().all()) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) {
                    found.add(kv.value);
                }
            });
        }
        found.sort(Comparator.comparing(Silence::getEndsAt).reversed().thenComparing(Silence::getSilenceId));
        for (Silence silence : found) {
            if (all || silence.getEndsAt().toEpochMilli() > at) {
                out.add(view(silence, at));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        body.put("items", out);
        Web.json(ctx, 200, body);
    }

    /** {@code POST /api/silences}. */
    void addSilence(Context ctx) throws Exception {
        JsonNode body = body(ctx);
        String actor = actor(body);
        Map<String, String> matchers = matchers(body.get("matchers"));
        String comment = text(body, "comment", 500, false);
        long startsAt = now.getAsLong();
        long endsAt = endsAt(body, startsAt);
        String id = body.hasNonNull("id") ? text(body, "id", 100, false) : "sil-" + UUID.randomUUID().toString().substring(0, 8);
        if (!ID.matcher(id).matches()) {
            throw new HttpError(400, "invalid_request", "'id' may hold letters, digits and . _ : - (at most 100): " + id);
        }
        Silence silence = new Silence(id, matchers, Instant.ofEpochMilli(startsAt), Instant.ofEpochMilli(endsAt), actor, comment);
        Map<String, String> detail = new TreeMap<>();
        matchers.forEach((k, v) -> detail.put("match." + k, v));
        detail.put("startsAt", silence.getStartsAt().toString());
        detail.put("endsAt", silence.getEndsAt().toString());
        detail.put("comment", comment);
        AuditEntry audit = audit(ctx, actor, "silence.add", id, detail);
        write(() -> writes.silence(silence, audit));
        Map<String, Object> answer = view(silence, startsAt);
        answer.put("audit", auditView(audit));
        Web.json(ctx, 201, answer);
    }

    /** {@code POST /api/silences/{id}/expire}: ends a silence now. */
    void expireSilence(Context ctx, String id) throws Exception {
        JsonNode body = body(ctx);
        String actor = actor(body);
        Silence current = find(id);
        long at = now.getAsLong();
        if (current.getEndsAt().toEpochMilli() <= at) {
            throw new HttpError(409, "already_expired", "Silence " + id + " already ended at " + current.getEndsAt());
        }
        String comment = body.hasNonNull("comment") ? text(body, "comment", 500, false) : current.getComment();
        Silence ended = Silence.newBuilder(current).setEndsAt(Instant.ofEpochMilli(Math.max(at, current.getStartsAt().toEpochMilli())))
                .setComment(comment).build();
        Map<String, String> detail = new TreeMap<>();
        detail.put("endsAt", ended.getEndsAt().toString());
        detail.put("wasEndingAt", current.getEndsAt().toString());
        detail.put("comment", comment);
        AuditEntry audit = audit(ctx, actor, "silence.expire", id, detail);
        write(() -> writes.silence(ended, audit));
        Map<String, Object> answer = view(ended, at);
        answer.put("audit", auditView(audit));
        Web.json(ctx, 200, answer);
    }

    private Silence find(String id) throws HttpError {
        Silence silence = store().get(id);
        if (silence == null) {
            throw new HttpError(404, "not_found", "No silence " + id + " (GET /api/silences?all=true lists them)");
        }
        return silence;
    }

    private ReadOnlyKeyValueStore<String, Silence> store() throws HttpError {
        try {
            return silences.get();
        } catch (RuntimeException e) {
            throw new HttpError(503, "state_unavailable", "The silences are not readable right now (" + e.getMessage() + "); retry shortly",
                    Map.of("Retry-After", "2"));
        }
    }

    static Map<String, String> matchers(JsonNode node) throws HttpError {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new HttpError(400, "invalid_request", "'matchers' is required: an object of at least one of "
                    + new java.util.TreeSet<>(MATCHER_KEYS) + " or label.<name> to the value it must equal");
        }
        Map<String, String> matchers = new TreeMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            String key = field.getKey();
            if (!MATCHER_KEYS.contains(key) && !(key.startsWith("label.") && key.length() > 6)) {
                throw new HttpError(400, "invalid_request", "Unknown matcher '" + key + "'; known: " + new java.util.TreeSet<>(MATCHER_KEYS)
                        + " and label.<name>");
            }
            if (!field.getValue().isTextual() || field.getValue().asText().isBlank()) {
                throw new HttpError(400, "invalid_request", "Matcher '" + key + "' needs a non-empty string value");
            }
            String value = field.getValue().asText().trim();
            if (key.equals("kind")) {
                try {
                    SignalKind.valueOf(value);
                } catch (IllegalArgumentException e) {
                    throw new HttpError(400, "invalid_request", "Unknown signal kind '" + value + "'; known: " + List.of(SignalKind.values()));
                }
            }
            matchers.put(key, value);
        }
        return matchers;
    }

    private static long endsAt(JsonNode body, long startsAt) throws HttpError {
        boolean hasFor = body.hasNonNull("for");
        boolean hasEnd = body.hasNonNull("endsAt");
        if (hasFor == hasEnd) {
            throw new HttpError(400, "invalid_request", "Give exactly one of 'for' (a duration such as 1h or 30m) and 'endsAt' (an ISO instant)");
        }
        long endsAt;
        if (hasFor) {
            Duration duration;
            try {
                duration = DurationText.parse(body.get("for").asText());
            } catch (RuntimeException e) {
                duration = null; // digits beyond a long
            }
            if (duration == null) {
                throw new HttpError(400, "invalid_request", "'for' is not a duration (such as 1h, 30m, 2d): " + body.get("for").asText());
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new HttpError(400, "invalid_request", "'for' must be positive: " + body.get("for").asText());
            }
            // Capped just past the limit so that an absurd duration is refused below instead of overflowing.
            endsAt = startsAt + Math.min(duration.toMillis(), LONGEST_SILENCE.toMillis() + 1);
        } else {
            try {
                endsAt = Instant.parse(body.get("endsAt").asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new HttpError(400, "invalid_request", "'endsAt' is not an ISO instant (such as 2026-12-02T18:00:00Z): " + body.get("endsAt").asText());
            }
            if (endsAt <= startsAt) {
                throw new HttpError(400, "invalid_request", "'endsAt' must be after now (" + Instant.ofEpochMilli(startsAt) + ")");
            }
        }
        if (endsAt - startsAt > LONGEST_SILENCE.toMillis()) {
            throw new HttpError(400, "invalid_request", "A silence lasts at most " + LONGEST_SILENCE.toDays() + " days; fix the cause instead");
        }
        return endsAt;
    }

    private static JsonNode body(Context ctx) throws IOException, HttpError {
        byte[] raw = Web.body(ctx, BODY_LIMIT);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpError(400, "invalid_json", "The body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new HttpError(400, "invalid_request", "The body must be a JSON object");
        }
        return node;
    }

    private static String actor(JsonNode body) throws HttpError {
        if (!body.hasNonNull("by")) {
            throw new HttpError(400, "invalid_request", "'by' is required: who is taking this action (it is audited)");
        }
        return text(body, "by", 100, false);
    }

    private static String text(JsonNode body, String field, int max, boolean allowEmpty) throws HttpError {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || (!allowEmpty && node.asText().isBlank())) {
            throw new HttpError(400, "invalid_request", "'" + field + "' is required as a non-empty string");
        }
        String value = node.asText().trim();
        if (value.length() > max) {
            throw new HttpError(400, "invalid_request", "'" + field + "' is longer than " + max + " characters");
        }
        return value;
    }

    private static AuditEntry audit(Context ctx, String actor, String action, String target, Map<String, String> detail) {
        String client = ctx.header("X-Bellwether-Client");
        String via = client != null && CLIENTS.contains(client.trim().toLowerCase()) ? client.trim().toLowerCase() : "api";
        return new AuditEntry(Instant.now(), actor, action, target, via, new TreeMap<>(detail));
    }

    private interface Write {
        void run() throws Exception;
    }

    private static void write(Write write) throws HttpError {
        try {
            write.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "not_written", "Interrupted before the broker acknowledged the change; it may or may not have been applied");
        } catch (Exception e) {
            throw new HttpError(503, "not_written", "The broker did not acknowledge the change (" + e.getMessage()
                    + "); nothing was confirmed, retry", Map.of("Retry-After", "5"));
        }
    }

    static Map<String, Object> view(Silence silence, long at) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", silence.getSilenceId());
        out.put("matchers", new TreeMap<>(silence.getMatchers()));
        out.put("startsAt", silence.getStartsAt().toEpochMilli());
        out.put("endsAt", silence.getEndsAt().toEpochMilli());
        out.put("active", silence.getStartsAt().toEpochMilli() <= at && at < silence.getEndsAt().toEpochMilli());
        out.put("createdBy", silence.getCreatedBy());
        out.put("comment", silence.getComment());
        return out;
    }

    private static Map<String, Object> auditView(AuditEntry audit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", audit.getAt().toEpochMilli());
        out.put("actor", audit.getActor());
        out.put("action", audit.getAction());
        out.put("target", audit.getTarget());
        out.put("via", audit.getVia());
        return out;
    }
}
