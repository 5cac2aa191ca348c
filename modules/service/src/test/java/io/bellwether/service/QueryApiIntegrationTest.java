package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.embedded.SharedStack;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two service instances of one application on the real broker and registry, sharing the work through Kafka's
 * partitions: whichever instance is asked, every question of the query API answers the same, for every key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIntegrationTest {
    private BellwetherService first;
    private BellwetherService second;
    private int portA;
    private int portB;
    private final List<Integer> readinessSeen = new CopyOnWriteArrayList<>();
    private long at;

    @BeforeAll
    void startTwoInstancesAndPlayTheSampleWeek() throws Exception {
        String app = SharedStack.unique("query-app");
        String prefix = SharedStack.unique("query") + ".";
        portA = QueryInstances.freePort();
        Thread watcher = new Thread(() -> {
            // Watches /ready from before the instance listens until it first answers 200.
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                int status = QueryInstances.get(portA, "/ready").status();
                if (status > 0) {
                    readinessSeen.add(status);
                }
                if (status == 200) {
                    return;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        first = QueryInstances.start(QueryInstances.settings(app, prefix, Files.createTempDirectory("query-a"), portA));
        second = QueryInstances.start(QueryInstances.settings(app, prefix, Files.createTempDirectory("query-b"), 0));
        portB = second.runtime().query().port();
        watcher.join(120_000);
        awaitReady(portA);
        awaitReady(portB);
        QueryInstances.playSample(first, "q");
        awaitSettled();
        at = QueryInstances.get(portA, "/api/accounts").json().get("at").asLong();
        // A phishing report inside the sample week: it moves no clock past the sample's last event.
        QueryInstances.playTicketAt(first, "q", "SEC-1", "P3", "Phishing report", java.time.Instant.ofEpochMilli(at).minus(java.time.Duration.ofHours(2)));
        awaitSettled();
    }

    @AfterAll
    void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    @DisplayName("should share the partitions between the two instances, so keys live on both")
    void shouldSplitTheStateBetweenInstances() {
        JsonNode localA = QueryInstances.get(portA, "/api/tickets?scope=local&open=false&at=" + at).json().get("items");
        JsonNode localB = QueryInstances.get(portB, "/api/tickets?scope=local&open=false&at=" + at).json().get("items");
        assertTrue(localA.size() > 0 && localB.size() > 0, "each instance holds some tickets: " + localA.size() + " / " + localB.size());
        assertEquals(2, QueryInstances.get(portA, "/api/accounts?at=" + at).json().get("instances").asInt());
    }

    @Test
    @DisplayName("should show the consolidated ticket alerts in the signal timeline, beside the signals that are their evidence")
    void shouldShowTicketAlertsInTheTimeline() {
        JsonNode alerts = QueryInstances.get(portA, "/api/signals?kind=TICKET_AT_RISK&limit=1000").json().get("items");
        assertTrue(alerts.size() > 0, "the sample week's SLA breach raises a ticket alert");
        JsonNode first = alerts.get(0);
        assertTrue(first.get("dedupKey").asText().startsWith("ticket-at-risk/ticket/"), first.toString());
        assertTrue(first.get("topic").asText().endsWith("ticket-alerts"), first.toString());
        assertEquals(QueryInstances.get(portA, "/api/signals?kind=TICKET_AT_RISK&limit=1000").json(),
                QueryInstances.get(portB, "/api/signals?kind=TICKET_AT_RISK&limit=1000").json(), "the same from either instance");
    }

    @Test
    @DisplayName("should show a security indicator in the timeline from its own topic, never from risk-signals, from either instance")
    void shouldShowSecuritySignalsFromTheirOwnTopic() throws Exception {
        JsonNode security = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            security = QueryInstances.get(portB, "/api/signals?kind=SECURITY_INDICATOR").json().get("items");
            if (security.size() > 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(1, security.size(), "the phishing report raised once: " + security);
        JsonNode raised = security.get(0);
        assertEquals("security-indicator/ticket/q:SEC-1", raised.get("dedupKey").asText(), raised.toString());
        assertTrue(raised.get("topic").asText().endsWith("security-signals"), raised.toString());
        assertTrue(raised.get("reason").asText().startsWith("Security indicator phishing (category matched 'phishing')"), raised.toString());
        for (JsonNode entry : QueryInstances.get(portA, "/api/signals?limit=10000").json().get("items")) {
            assertTrue(!entry.get("topic").asText().endsWith("risk-signals") || !entry.get("kind").asText().equals("SECURITY_INDICATOR"),
                    "no security signal on risk-signals: " + entry);
        }
    }

    @Test
    @DisplayName("should show each account's resolutions with near-miss and breach rates beside each other")
    void shouldShowNearMissesBesideBreaches() {
        JsonNode accounts = QueryInstances.get(portA, "/api/accounts?at=" + at).json().get("items");
        int resolved = 0;
        int breaches = 0;
        for (JsonNode account : accounts) {
            JsonNode r = account.get("resolutions");
            assertTrue(r != null && r.has("nearMissRate") && r.has("breachRate") && r.has("nearMissNorm"), account.toString());
            resolved += r.get("resolved").asInt();
            breaches += r.get("breaches").asInt();
            if (r.get("resolved").asInt() > 0) {
                assertEquals(Math.round(1000.0 * r.get("breaches").asInt() / r.get("resolved").asInt()) / 1000.0, r.get("breachRate").asDouble(),
                        1e-9, account.toString());
            }
        }
        assertTrue(resolved > 0, "the sample week resolves tickets: " + accounts);
        assertTrue(breaches > 0, "and breaches at least one SLA (U-301): " + accounts);
    }

    @Test
    @DisplayName("should show each team's resolutions with near-miss and breach rates, every resolution counted for exactly one team")
    void shouldShowTeamsNearMissesBesideBreaches() {
        JsonNode accounts = QueryInstances.get(portA, "/api/accounts?at=" + at).json().get("items");
        JsonNode teams = QueryInstances.get(portB, "/api/teams?at=" + at).json().get("items");
        int accountResolved = 0;
        int accountBreaches = 0;
        int accountNearMisses = 0;
        for (JsonNode account : accounts) {
            accountResolved += account.get("resolutions").get("resolved").asInt();
            accountBreaches += account.get("resolutions").get("breaches").asInt();
            accountNearMisses += account.get("resolutions").get("nearMisses").asInt();
        }
        int teamResolved = 0;
        int teamBreaches = 0;
        int teamNearMisses = 0;
        double previousRate = Double.MAX_VALUE;
        for (JsonNode team : teams) {
            JsonNode r = team.get("resolutions");
            assertTrue(r.has("nearMissRate") && r.has("breachRate") && r.has("nearMissNorm") && team.has("signals"), team.toString());
            assertTrue(r.get("nearMissRate").asDouble() <= previousRate, "highest near-miss rate first: " + teams);
            previousRate = r.get("nearMissRate").asDouble();
            teamResolved += r.get("resolved").asInt();
            teamBreaches += r.get("breaches").asInt();
            teamNearMisses += r.get("nearMisses").asInt();
        }
        assertTrue(teamResolved > 0, "the sample week resolves tickets: " + teams);
        assertEquals(accountResolved, teamResolved, "each resolution belongs to one account and one team: " + teams);
        assertEquals(accountBreaches, teamBreaches, teams.toString());
        assertEquals(accountNearMisses, teamNearMisses, teams.toString());
    }

    @Test
    @DisplayName("should rank the recurring issues of the whole cluster the same from either instance, counting each ticket once")
    void shouldRankRecurringIssues() {
        JsonNode a = QueryInstances.get(portA, "/api/recurring-issues?window=7d&limit=1000&at=" + at).json();
        JsonNode b = QueryInstances.get(portB, "/api/recurring-issues?window=7d&limit=1000&at=" + at).json();
        assertEquals(a, b, "the same from either instance");
        java.util.Map<String, Integer> byCategory = new java.util.TreeMap<>();
        int opened = 0;
        for (JsonNode ticket : QueryInstances.get(portA, "/api/tickets?open=false&limit=10000&at=" + at).json().get("items")) {
            if (ticket.get("openedAt").asLong() >= at - java.time.Duration.ofDays(7).toMillis() && ticket.get("openedAt").asLong() < at) {
                opened++;
                if (ticket.hasNonNull("category")) {
                    byCategory.merge(ticket.get("category").asText(), 1, Integer::sum);
                }
            }
        }
        assertEquals(opened, a.get("tickets").asInt(), a.toString());
        java.util.Map<String, Integer> ranked = new java.util.TreeMap<>();
        for (JsonNode item : a.get("items")) {
            if (item.get("dimension").asText().equals("category")) {
                ranked.put(item.get("value").asText(), item.get("tickets").asInt());
            }
        }
        assertEquals(byCategory, ranked, "every category of the window, with its tickets");
        int previous = Integer.MAX_VALUE;
        for (JsonNode item : a.get("items")) {
            if (item.get("dimension").asText().equals("category")) {
                assertTrue(item.get("tickets").asInt() <= previous, "most tickets first: " + a.get("items"));
                previous = item.get("tickets").asInt();
            }
        }
    }

    @Test
    @DisplayName("should publish the weekly recurring issues from one instance only, across accounts and per account, as the API ranks them")
    void shouldPublishTheWeeklyRecurringIssues() throws Exception {
        List<io.bellwether.events.RecurringIssues> fromA = first.runtime().recurringIssues().publishNow();
        List<io.bellwether.events.RecurringIssues> fromB = second.runtime().recurringIssues().publishNow();
        assertTrue(fromA.isEmpty() != fromB.isEmpty(), "exactly one instance leads: " + fromA.size() + " / " + fromB.size());
        List<io.bellwether.events.RecurringIssues> published = fromA.isEmpty() ? fromB : fromA;
        io.bellwether.events.RecurringIssues all = published.get(0);
        assertEquals("all", all.getScope());
        JsonNode api = QueryInstances.get(portA, "/api/recurring-issues?window=7d&at=" + all.getWindowEnd().toEpochMilli()).json();
        assertEquals(api.get("tickets").asInt(), all.getTickets());
        assertEquals(api.get("items").size(), all.getItems().size());
        for (int i = 0; i < all.getItems().size(); i++) {
            assertEquals(api.get("items").get(i).get("value").asText(), all.getItems().get(i).getValue(), "rank " + i);
            assertEquals(api.get("items").get(i).get("tickets").asInt(), all.getItems().get(i).getTickets(), "rank " + i);
        }
        assertTrue(published.size() > 1, "one record per account that opened tickets in the week: " + published.size());
        String topic = first.config().topics().recurringIssues();
        List<io.bellwether.events.RecurringIssues> read = TopicRecords.readUntil(first.serdes(), topic,
                io.bellwether.events.RecurringIssues.class, records -> records.size() >= published.size());
        java.util.Comparator<io.bellwether.events.RecurringIssues> byScope = java.util.Comparator.comparing(io.bellwether.events.RecurringIssues::getScope);
        // Keyed by scope, so spread over the topic's partitions: the same records, in no particular order across them.
        assertEquals(published.stream().sorted(byScope).toList(), read.stream().sorted(byScope).toList(), "on the topic as published");
    }

    @Test
    @DisplayName("should answer every list query the same from either instance")
    void shouldAnswerListsTheSameFromEitherInstance() {
        for (String query : List.of("/api/accounts", "/api/tickets", "/api/tickets?open=false", "/api/ownership-gaps", "/api/technicians",
                "/api/teams", "/api/surges", "/api/demand?window=30d&zone=Europe/London", "/api/signals?limit=10000")) {
            String q = query + (query.contains("?") ? "&" : "?") + "at=" + at;
            QueryInstances.Answer a = QueryInstances.get(portA, q);
            QueryInstances.Answer b = QueryInstances.get(portB, q);
            assertEquals(200, a.status(), q + ": " + a.body());
            assertEquals(a.json(), b.json(), q + " differs between instances");
        }
        JsonNode accounts = QueryInstances.get(portA, "/api/accounts?at=" + at).json();
        assertEquals(4, accounts.get("count").asInt(), "the sample's four clients: " + accounts);
        assertTrue(accounts.get("items").get(0).get("score").asDouble() >= accounts.get("items").get(3).get("score").asDouble(),
                "ranked worst first");
        JsonNode demand = QueryInstances.get(portA, "/api/demand?window=30d&at=" + at).json().get("items").get(0);
        int hours = 0;
        for (JsonNode n : demand.get("hourOfWeek")) {
            hours += n.asInt();
        }
        assertEquals(demand.get("total").asInt(), hours, "every ticket counted once in the heat-map");
        assertFalse(QueryInstances.get(portA, "/api/ownership-gaps?at=" + at).json().get("items").isEmpty(),
                "the sample's ownerless Globex shows as a gap");
    }

    @Test
    @DisplayName("should answer every account and every ticket the same from either instance, routing to the one holding it")
    void shouldAnswerEveryKeyTheSameFromEitherInstance() {
        List<String> paths = new ArrayList<>();
        for (JsonNode account : QueryInstances.get(portA, "/api/accounts?at=" + at).json().get("items")) {
            paths.add("/api/accounts/" + encode(account.get("accountId").asText()));
        }
        for (JsonNode ticket : QueryInstances.get(portA, "/api/tickets?open=false&limit=10000&at=" + at).json().get("items")) {
            paths.add("/api/tickets/" + encode(ticket.get("ticketKey").asText()));
        }
        int remoteFromA = 0;
        for (String path : paths) {
            QueryInstances.Answer a = QueryInstances.get(portA, path + "?at=" + at);
            QueryInstances.Answer b = QueryInstances.get(portB, path + "?at=" + at);
            assertEquals(200, a.status(), path + ": " + a.body());
            assertEquals(a.json(), b.json(), path + " differs between instances");
            if (QueryInstances.get(portA, path + "?scope=local&at=" + at).status() == 404) {
                remoteFromA++;
            }
        }
        assertEquals(4 + 15 + 1, paths.size(), "the sample's four accounts and fifteen tickets, and the phishing report");
        assertTrue(remoteFromA > 0 && remoteFromA < paths.size(), "some keys were answered by routing: " + remoteFromA + " of " + paths.size());
        QueryInstances.Answer missing = QueryInstances.get(portB, "/api/tickets/" + encode("q:NOPE-1"));
        assertEquals(404, missing.status());
        assertTrue(missing.json().get("reason").asText().contains("q:NOPE-1"));
    }

    @Test
    @DisplayName("should turn bad parameters into a 400 with a reason")
    void shouldRejectBadParameters() {
        for (String q : List.of("/api/demand?window=7x", "/api/accounts?at=yesterday", "/api/demand?zone=Mars/Olympus", "/api/tickets?limit=0")) {
            QueryInstances.Answer answer = QueryInstances.get(portB, q);
            assertEquals(400, answer.status(), q);
            assertFalse(answer.json().get("reason").asText().isBlank());
        }
        assertEquals(404, QueryInstances.get(portA, "/api/nothing").status());
    }

    @Test
    @DisplayName("should flip /ready from 503 to 200 once the topology runs, and keep /health up")
    void shouldFlipReadiness() {
        assertTrue(readinessSeen.contains(503), "not ready before the topology ran: " + readinessSeen);
        assertEquals(200, readinessSeen.get(readinessSeen.size() - 1));
        assertEquals(readinessSeen.indexOf(200), readinessSeen.size() - 1, "never ready before the last check");
        assertEquals(200, QueryInstances.get(portA, "/health").status());
        assertEquals("RUNNING", QueryInstances.get(portB, "/ready").json().get("streams").asText());
    }

    @Test
    @DisplayName("should expose Bellwether's named series on /metrics as Prometheus text, and as protobuf read by the client's parser")
    void shouldExposePrometheusMetrics() throws Exception {
        QueryInstances.Answer answer = QueryInstances.get(portA, "/metrics");
        assertEquals(200, answer.status());
        assertTrue(answer.response().headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Matcher raised = Pattern.compile("(?m)^bellwether_detect_signals_total\\{kind=\"(\\w+)\",state=\"RAISED\"} (\\d+)").matcher(answer.body());
        assertTrue(raised.find(), "signal counts by kind and state:\n" + answer.body());
        assertNotEquals("0", raised.group(2));

        java.net.http.HttpResponse<byte[]> protobuf = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + portA + "/metrics")).header("Accept",
                        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, protobuf.statusCode());
        Map<String, Metrics.MetricFamily> families = new java.util.TreeMap<>();
        java.io.InputStream in = new java.io.ByteArrayInputStream(protobuf.body());
        for (Metrics.MetricFamily family; (family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null; ) {
            families.put(family.getName(), family);
        }
        assertEquals(Metrics.MetricType.COUNTER, families.get("bellwether_detect_signals_total").getType());
        assertEquals(Metrics.MetricType.COUNTER, families.get("bellwether_detect_events_total").getType());
        assertEquals(Metrics.MetricType.SUMMARY, families.get("bellwether_detect_lead_time_seconds").getType());
        assertEquals(Metrics.MetricType.GAUGE, families.get("bellwether_streams_process_rate").getType());
        assertEquals(Metrics.MetricType.GAUGE, families.get("bellwether_streams_records_lag_max").getType());
        assertEquals(1.0, families.get("bellwether_streams_running").getMetric(0).getGauge().getValue(), "topology running");
        double raisedTotal = families.get("bellwether_detect_signals_total").getMetricList().stream()
                .filter(m -> m.getLabelList().stream().anyMatch(l -> l.getName().equals("state") && l.getValue().equals("RAISED")))
                .mapToDouble(m -> m.getCounter().getValue()).sum();
        assertTrue(raisedTotal > 0, "signals raised: " + raisedTotal);
    }

    private void awaitReady(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (QueryInstances.get(port, "/ready").status() != 200) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("instance on " + port + " never ready: " + QueryInstances.get(port, "/ready").body());
            }
            Thread.sleep(100);
        }
    }

    /** Until both instances' timelines agree and have not moved for three seconds. */
    private void awaitSettled() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "";
        long stableSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            JsonNode a = QueryInstances.get(portA, "/api/signals?limit=10000").json();
            JsonNode b = QueryInstances.get(portB, "/api/signals?limit=10000").json();
            String now = a.get("items").size() + "/" + b.get("items").size();
            if (!now.equals(last) || !a.equals(b)) {
                last = now;
                stableSince = System.currentTimeMillis();
            } else if (a.get("items").size() > 0 && System.currentTimeMillis() - stableSince > 3000) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("signals never settled: " + last);
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
