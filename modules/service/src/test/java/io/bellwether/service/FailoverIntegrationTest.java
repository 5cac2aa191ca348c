package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.embedded.SharedStack;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances with standby replicas; one dies without leaving the group (as a killed process does: the group notices
 * only after its session timeout). Until then the survivor used to answer 503 for every key the dead one held; now it
 * answers from its standby copy, marked stale.
 */
class FailoverIntegrationTest {

    @Test
    @DisplayName("should answer for a dead instance's keys and lists from the standby copies within 5 s, marked stale")
    void shouldAnswerFromTheStandbyWhenTheActiveInstanceDies() throws Exception {
        String app = SharedStack.unique("failover-app");
        String prefix = SharedStack.unique("failover") + ".";
        int portA = QueryInstances.freePort();
        int portB = QueryInstances.freePort();
        BellwetherService a = QueryInstances.start(QueryInstances.settings(app, prefix, Files.createTempDirectory("failover-a"), portA));
        try (BellwetherService b = QueryInstances.start(QueryInstances.settings(app, prefix, Files.createTempDirectory("failover-b"), portB))) {
            QueryInstances.awaitReady(portA, java.time.Duration.ofSeconds(120));
            QueryInstances.awaitReady(portB, java.time.Duration.ofSeconds(120));
            QueryInstances.playSample(a, "f");
            String key = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (key == null && System.currentTimeMillis() < deadline) {
                JsonNode local = QueryInstances.get(portA, "/api/tickets?scope=local&open=false").json().get("items");
                if (local != null && local.size() > 0) {
                    key = local.get(0).get("ticketKey").asText();
                }
                Thread.sleep(250);
            }
            assertTrue(key != null, "instance A holds tickets");
            JsonNode before = QueryInstances.get(portB, "/api/tickets/" + encode(key)).json();
            assertTrue(before.get("stale") == null, "answered by A while it lives: " + before);
            long at = before.get("at").asLong();
            // Let B's standby copy catch up with the changelog before A goes.
            Thread.sleep(5_000);
            JsonNode ticketsBefore = QueryInstances.get(portB, "/api/tickets?open=false&at=" + at).json().get("items");
            JsonNode accountsBefore = QueryInstances.get(portB, "/api/accounts?at=" + at).json().get("items");

            a.close();
            long killed = System.currentTimeMillis();
            QueryInstances.Answer answer;
            do {
                answer = QueryInstances.get(portB, "/api/tickets/" + encode(key));
            } while (answer.status() != 200 && System.currentTimeMillis() - killed < 5_000);
            long tookMs = System.currentTimeMillis() - killed;
            assertEquals(200, answer.status(), "answered within 5 s of the death (took " + tookMs + " ms): " + answer.body());
            JsonNode body = answer.json();
            assertEquals(key, body.get("ticket").get("ticketKey").asText());
            if (body.has("stale")) {
                assertTrue(body.get("stale").asBoolean());
                assertTrue(body.get("staleReason").asText().contains("standby"), body.toString());
            }
            System.out.printf("Failover: %s answered %s in %d ms after the active instance died%n", key,
                    body.has("stale") ? "from the standby (stale)" : "by the new active", tookMs);
            assertTrue(body.has("stale"), "the group had not yet noticed the death, so the answer came from the standby: " + body);

            // Lists too: the dead instance's share comes from the standby copies, the whole list as before, marked stale.
            for (String list : new String[] {"/api/tickets?open=false&at=" + at, "/api/accounts?at=" + at, "/api/ownership-gaps?at=" + at,
                    "/api/technicians?at=" + at, "/api/demand?window=30d&at=" + at}) {
                QueryInstances.Answer page = QueryInstances.get(portB, list);
                assertEquals(200, page.status(), list + " within 5 s of the death: " + page.body());
                assertTrue(page.json().path("stale").asBoolean(), list + " is marked stale: " + page.body());
            }
            assertEquals(200, QueryInstances.get(portB, "/api/surges?at=" + at).status(), "surges are a global table: every instance has them");
            String account = body.get("ticket").get("accountId").asText();
            assertEquals(200, QueryInstances.get(portB, "/api/accounts/" + encode(account) + "?at=" + at).status(), "an account by key");
            assertTrue(System.currentTimeMillis() - killed < 5_000, "every query answered within 5 s of the death");
            assertEquals(ticketsBefore, QueryInstances.get(portB, "/api/tickets?open=false&at=" + at).json().get("items"),
                    "the same tickets as before the death");
            assertEquals(accountsBefore, QueryInstances.get(portB, "/api/accounts?at=" + at).json().get("items"),
                    "the same accounts as before the death");
        } finally {
            a.close();
        }
    }


    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
