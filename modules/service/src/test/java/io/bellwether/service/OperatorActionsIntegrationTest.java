package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.AccountOwner;
import io.bellwether.events.Acknowledgement;
import io.bellwether.events.AuditEntry;
import io.bellwether.events.Silence;
import io.bellwether.events.TopicNames;
import io.bellwether.service.cli.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operators act where they look, through the API and the CLI of a running service with a bearer token, on the real
 * broker and registry: each change lands on the topic the topology reads, takes effect on the board's state, and is
 * audited; a write without the token or with a malformed body is refused with the reason and writes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorActionsIntegrationTest {
    private static final String TOKEN = "operator-s3cret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BellwetherService service;
    private TopicNames topics;
    private int port;

    @BeforeAll
    void startWithATokenAndPlayTheSampleWeek() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(QueryInstances.settings(SharedStack.unique("operator-app"),
                SharedStack.unique("operator") + ".", Files.createTempDirectory("operator"), QueryInstances.freePort()));
        settings.put("http.auth.token", TOKEN);
        service = QueryInstances.start(settings);
        topics = service.config().topics();
        port = service.runtime().query().port();
        QueryInstances.awaitReady(port, Duration.ofMinutes(2));
        QueryInstances.playSample(service, "op");
        awaitUntil("the sample's four accounts", () -> call("GET", "/api/accounts", null, TOKEN),
                answer -> answer.status() == 200 && answer.json().get("count").asInt() == 4, Duration.ofMinutes(2));
        // Until the timeline has not moved for three seconds: the sample's last signals are in.
        long[] settled = {-1, System.nanoTime()};
        awaitUntil("the signal timeline to settle", () -> call("GET", "/api/signals?limit=10000", null, TOKEN).json().get("items").size(),
                size -> {
                    if (size != settled[0]) {
                        settled[0] = size;
                        settled[1] = System.nanoTime();
                    }
                    return size > 0 && System.nanoTime() - settled[1] > 3_000_000_000L;
                }, Duration.ofMinutes(2));
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @DisplayName("should refuse every write without the bearer token, and write nothing for it")
    void shouldRefuseUnauthenticatedWrites() throws Exception {
        String silence = "{\"matchers\":{\"accountId\":\"op:acme\"},\"for\":\"1h\",\"comment\":\"x\",\"by\":\"intruder\",\"id\":\"intruder-1\"}";
        assertEquals(401, call("POST", "/api/silences", silence, null).status());
        assertEquals(401, call("POST", "/api/silences", silence, "wrong-token").status());
        assertEquals(401, call("PUT", "/api/owners/op:acme", "{\"ownerId\":\"mallory\",\"by\":\"intruder\"}", null).status());
        assertEquals(401, call("POST", "/api/acks", "{\"dedupKey\":\"x\",\"by\":\"intruder\"}", null).status());

        // A write that was made after these shows the audit trail is read; none of the refused ones is on it.
        Answer later = call("POST", "/api/silences", "{\"matchers\":{\"kind\":\"SURGE\"},\"for\":\"1m\",\"comment\":\"marker\",\"by\":\"marker\"}", TOKEN);
        assertEquals(201, later.status(), later.body());
        List<AuditEntry> audit = readUntil(topics.audit(), AuditEntry.class, entries -> entries.stream().anyMatch(e -> e.getActor().equals("marker")));
        assertTrue(audit.stream().noneMatch(e -> e.getActor().equals("intruder")), "refused writes are not audited as done: " + audit);
        assertTrue(read(topics.control(), Silence.class).stream().noneMatch(s -> s.getSilenceId().equals("intruder-1")));
    }

    @Test
    @DisplayName("should refuse a malformed silence with a 400 that says what is wrong")
    void shouldRefuseMalformedSilences() {
        assertRefused("{\"matchers\":{\"colour\":\"red\"},\"for\":\"1h\",\"comment\":\"c\",\"by\":\"a\"}", "Unknown matcher 'colour'");
        assertRefused("{\"matchers\":{\"kind\":\"NOT_A_KIND\"},\"for\":\"1h\",\"comment\":\"c\",\"by\":\"a\"}", "Unknown signal kind");
        assertRefused("{\"matchers\":{},\"for\":\"1h\",\"comment\":\"c\",\"by\":\"a\"}", "'matchers' is required");
        assertRefused("{\"matchers\":{\"accountId\":\"op:acme\"},\"comment\":\"c\",\"by\":\"a\"}", "exactly one of 'for'");
        assertRefused("{\"matchers\":{\"accountId\":\"op:acme\"},\"for\":\"soon\",\"comment\":\"c\",\"by\":\"a\"}", "not a duration");
        assertRefused("{\"matchers\":{\"accountId\":\"op:acme\"},\"for\":\"200d\",\"comment\":\"c\",\"by\":\"a\"}", "at most 90 days");
        assertRefused("{\"matchers\":{\"accountId\":\"op:acme\"},\"for\":\"1h\",\"by\":\"a\"}", "'comment' is required");
        assertRefused("{\"matchers\":{\"accountId\":\"op:acme\"},\"for\":\"1h\",\"comment\":\"c\"}", "'by' is required");
        assertRefused("not json", "not JSON");
        Answer wrongMethod = call("DELETE", "/api/silences", null, TOKEN);
        assertEquals(405, wrongMethod.status(), wrongMethod.body());
    }

    @Test
    @DisplayName("should silence an account for an hour through the API, list it as active, end it early, and audit both")
    void shouldSilenceAnAccountForAnHourAndEndIt() throws Exception {
        Answer added = call("POST", "/api/silences", "{\"matchers\":{\"accountId\":\"op:globex\"},\"for\":\"1h\","
                + "\"comment\":\"migration weekend\",\"by\":\"alice\",\"id\":\"api-globex\"}", TOKEN);
        assertEquals(201, added.status(), added.body());
        long startsAt = added.json().get("startsAt").asLong();
        assertEquals(startsAt + 3_600_000L, added.json().get("endsAt").asLong(), "an hour of the service's time");

        awaitUntil("the silence listed as active", () -> call("GET", "/api/silences", null, TOKEN),
                answer -> contains(answer.json().get("items"), "api-globex", true), Duration.ofSeconds(30));
        Silence written = read(topics.control(), Silence.class).stream().filter(s -> s.getSilenceId().equals("api-globex")).findFirst().orElseThrow();
        assertEquals(Map.of("accountId", "op:globex"), written.getMatchers());
        assertEquals("alice", written.getCreatedBy());
        assertEquals("migration weekend", written.getComment());

        Answer expired = call("POST", "/api/silences/api-globex/expire", "{\"by\":\"alice\",\"comment\":\"done early\"}", TOKEN);
        assertEquals(200, expired.status(), expired.body());
        awaitUntil("the silence ended", () -> call("GET", "/api/silences?all=true", null, TOKEN),
                answer -> contains(answer.json().get("items"), "api-globex", false), Duration.ofSeconds(30));
        assertFalse(contains(call("GET", "/api/silences", null, TOKEN).json().get("items"), "api-globex", false),
                "an ended silence is not listed as active");
        assertEquals(409, call("POST", "/api/silences/api-globex/expire", "{\"by\":\"alice\"}", TOKEN).status(), "ends once");
        assertEquals(404, call("POST", "/api/silences/nope/expire", "{\"by\":\"alice\"}", TOKEN).status());

        List<AuditEntry> audit = readUntil(topics.audit(), AuditEntry.class,
                entries -> entries.stream().filter(e -> e.getTarget().equals("api-globex")).count() == 2);
        List<String> trail = audit.stream().filter(e -> e.getTarget().equals("api-globex")).sorted(java.util.Comparator.comparing(AuditEntry::getAt)).map(e -> e.getAction() + " by " + e.getActor() + " via " + e.getVia()).toList();
        assertEquals(List.of("silence.add by alice via api", "silence.expire by alice via api"), trail);
    }

    @Test
    @DisplayName("should name an account's owner through the API, which the account stage takes up and the audit records")
    void shouldSetAnOwner() throws Exception {
        String globex = account(a -> !a.hasNonNull("owner"));
        awaitUntil("NO_ACCOUNT_OWNER on the ownerless account before its owner is named", () -> call("GET", "/api/accounts/" + encode(globex), null, TOKEN),
                answer -> kinds(answer.json()).contains("NO_ACCOUNT_OWNER"), Duration.ofSeconds(60));
        Answer set = call("PUT", "/api/owners/" + encode(globex), "{\"ownerId\":\"dana\",\"ownerName\":\"Dana Scully\",\"by\":\"alice\"}", TOKEN);
        assertEquals(200, set.status(), set.body());

        awaitUntil("the owner on the board", () -> call("GET", "/api/accounts/" + encode(globex), null, TOKEN),
                answer -> "dana".equals(answer.json().path("account").path("owner").asText(null)), Duration.ofSeconds(60));
        awaitUntil("NO_ACCOUNT_OWNER resolved", () -> call("GET", "/api/accounts/" + encode(globex), null, TOKEN),
                answer -> !kinds(answer.json()).contains("NO_ACCOUNT_OWNER"), Duration.ofSeconds(60));
        AccountOwner written = read(topics.accountOwners(), AccountOwner.class).stream().filter(o -> o.getAccountId().equals(globex))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("dana", written.getOwnerId());
        AuditEntry entry = readUntil(topics.audit(), AuditEntry.class, entries -> entries.stream().anyMatch(e -> e.getTarget().equals(globex)))
                .stream().filter(e -> e.getTarget().equals(globex)).findFirst().orElseThrow();
        assertEquals("owner.set", entry.getAction());
        assertEquals("dana", entry.getDetail().get("ownerId"));
        assertEquals(400, call("PUT", "/api/owners/" + encode(globex), "{\"by\":\"alice\"}", TOKEN).status(), "ownerId must be given");
    }

    @Test
    @DisplayName("should acknowledge a raised signal through the API and show who is on it with the account's signals")
    void shouldAcknowledgeASignal() throws Exception {
        // Not the ownerless account's signal, which naming an owner (another test) resolves.
        Predicate<JsonNode> ticketSignal = s -> !s.get("kind").asText().equals("NO_ACCOUNT_OWNER");
        String accountId = account(a -> java.util.stream.StreamSupport.stream(a.get("signals").spliterator(), false).anyMatch(ticketSignal));
        JsonNode signal = java.util.stream.StreamSupport.stream(call("GET", "/api/accounts/" + encode(accountId), null, TOKEN).json()
                .get("account").get("signals").spliterator(), false).filter(ticketSignal).findFirst().orElseThrow();
        String dedupKey = signal.get("dedupKey").asText();
        Answer acked = call("POST", "/api/acks", "{\"dedupKey\":" + QueryInstances.JSON.writeValueAsString(dedupKey)
                + ",\"by\":\"dana\",\"note\":\"calling the client\"}", TOKEN);
        assertEquals(201, acked.status(), acked.body());
        assertEquals(signal.get("since").asLong(), acked.json().get("raisedAt").asLong(), "the current raise");

        // Waits for this acknowledgement: the command-line test may have acknowledged the same signal before.
        JsonNode shown = awaitUntil("the acknowledgement on the board", () -> call("GET", "/api/accounts/" + encode(accountId), null, TOKEN),
                answer -> acknowledgedBy(answer.json(), dedupKey) != null && "dana".equals(acknowledgedBy(answer.json(), dedupKey).path("by").asText()),
                Duration.ofSeconds(30)).json();
        JsonNode ack = acknowledgedBy(shown, dedupKey);
        assertEquals("dana", ack.get("by").asText());
        assertEquals("calling the client", ack.get("note").asText());
        Acknowledgement written = read(topics.acks(), Acknowledgement.class).stream().filter(a -> a.getDedupKey().equals(dedupKey)).findFirst().orElseThrow();
        assertEquals(signal.get("since").asLong(), written.getRaisedAt().toEpochMilli());
        assertEquals(404, call("POST", "/api/acks", "{\"dedupKey\":\"no-such-signal\",\"by\":\"dana\"}", TOKEN).status());
    }

    @Test
    @DisplayName("should do the same from the command line, audited as the CLI, and refuse it without the token")
    void shouldActFromTheCommandLine() throws Exception {
        String url = "http://127.0.0.1:" + port;
        String acme = account(a -> a.get("accountId").asText().endsWith("acme"));
        CliRun add = CliRun.of("silence", "add", "--url", url, "--token", TOKEN, "--account", acme, "--for", "1h",
                "--comment", "patching", "--by", "bob", "--id", "cli-acme");
        assertEquals(0, add.exit(), add.all());
        assertTrue(add.out().contains("silenced cli-acme"), add.out());
        awaitUntil("the silence listed", () -> CliRun.of("silence", "list", "--url", url, "--token", TOKEN),
                run -> run.out().contains("cli-acme"), Duration.ofSeconds(30));
        CliRun expire = CliRun.of("silence", "expire", "cli-acme", "--url", url, "--token", TOKEN, "--by", "bob");
        assertEquals(0, expire.exit(), expire.all());

        CliRun owner = CliRun.of("owner", "set", acme, "erin", "--url", url, "--token", TOKEN, "--by", "bob");
        assertEquals(0, owner.exit(), owner.all());
        awaitUntil("the owner listed", () -> CliRun.of("owner", "list", "--url", url, "--token", TOKEN),
                run -> run.out().lines().anyMatch(line -> line.startsWith(acme) && line.endsWith("erin")), Duration.ofSeconds(60));

        String dedupKey = call("GET", "/api/accounts/" + encode(acme), null, TOKEN).json().get("account").get("signals").get(0).get("dedupKey").asText();
        CliRun ack = CliRun.of("ack", dedupKey, "--note", "on it", "--url", url, "--token", TOKEN, "--by", "bob");
        assertEquals(0, ack.exit(), ack.all());

        CliRun refused = CliRun.of("silence", "add", "--url", url, "--account", acme, "--for", "1h", "--comment", "no token", "--by", "bob");
        assertEquals(2, refused.exit(), refused.all());
        assertTrue(refused.out().contains("refused: 401"), refused.out());
        CliRun malformed = CliRun.of("silence", "add", "--url", url, "--token", TOKEN, "--for", "1h", "--comment", "nothing matched", "--by", "bob");
        assertEquals(2, malformed.exit(), malformed.all());
        assertTrue(malformed.out().contains("'matchers' is required"), malformed.out());

        List<AuditEntry> audit = readUntil(topics.audit(), AuditEntry.class,
                entries -> entries.stream().filter(e -> e.getActor().equals("bob")).count() >= 4);
        assertEquals(List.of("silence.add cli-acme", "silence.expire cli-acme", "owner.set " + acme, "signal.ack " + dedupKey),
                audit.stream().filter(e -> e.getActor().equals("bob")).sorted(java.util.Comparator.comparing(AuditEntry::getAt))
                        .map(e -> e.getAction() + " " + e.getTarget()).toList(), "in the order they were taken");
        assertTrue(audit.stream().filter(e -> e.getActor().equals("bob")).allMatch(e -> e.getVia().equals("cli")));
    }

    private void assertRefused(String body, String reason) {
        Answer answer = call("POST", "/api/silences", body, TOKEN);
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.json().get("reason").asText().contains(reason), "reason for " + body + ": " + answer.body());
    }

    private String account(Predicate<JsonNode> which) {
        for (JsonNode account : call("GET", "/api/accounts", null, TOKEN).json().get("items")) {
            if (which.test(account)) {
                return account.get("accountId").asText();
            }
        }
        throw new AssertionError("no such account in " + call("GET", "/api/accounts", null, TOKEN).body());
    }

    private static List<String> kinds(JsonNode accountAnswer) {
        List<String> kinds = new ArrayList<>();
        accountAnswer.path("account").path("signals").forEach(signal -> kinds.add(signal.get("kind").asText()));
        return kinds;
    }

    private static JsonNode acknowledgedBy(JsonNode answer, String dedupKey) {
        for (JsonNode signal : answer.path("account").path("signals")) {
            if (signal.get("dedupKey").asText().equals(dedupKey) && !signal.path("acknowledged").isNull() && !signal.path("acknowledged").isMissingNode()) {
                return signal.get("acknowledged");
            }
        }
        return null;
    }

    private static boolean contains(JsonNode items, String id, boolean active) {
        for (JsonNode item : items) {
            if (item.get("id").asText().equals(id) && item.get("active").asBoolean() == active) {
                return true;
            }
        }
        return false;
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return QueryInstances.JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private Answer call(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        }
    }

    private static <T> T awaitUntil(String what, java.util.function.Supplier<T> probe, Predicate<T> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + what + "; last: " + last);
            }
            Thread.sleep(250);
            last = probe.get();
        }
        return last;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type) {
        return TopicRecords.read(service.serdes(), topic, type);
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> readUntil(String topic, Class<T> type, Predicate<List<T>> done) {
        return TopicRecords.readUntil(service.serdes(), topic, type, done);
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
