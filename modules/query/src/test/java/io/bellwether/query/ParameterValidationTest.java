package io.bellwether.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.common.web.HttpError;
import io.bellwether.common.json.Json;
import io.bellwether.events.Silence;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the query API accepts as parameters and silence matchers, and the 400 it gives for the rest. */
class ParameterValidationTest {

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    @DisplayName("should read 'at' as epoch milliseconds or an ISO instant, and refuse anything else with the accepted forms")
    void shouldReadMoments() throws Exception {
        assertEquals(1_764_000_000_000L, Api.instant("1764000000000", "at"));
        assertEquals(Instant.parse("2026-11-23T09:00:00Z").toEpochMilli(), Api.instant("2026-11-23T09:00:00Z", "at"));
        HttpError refused = assertThrows(HttpError.class, () -> Api.instant("yesterday", "at"));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("epoch milliseconds or an ISO-8601 instant"), refused.getMessage());
    }

    @Test
    @DisplayName("should read a demand window in hours or days, and refuse zero, minutes and nonsense")
    void shouldReadWindows() throws Exception {
        assertEquals(Duration.ofHours(24), Api.window("24h"));
        assertEquals(Duration.ofDays(7), Api.window("7d"));
        for (String bad : new String[]{"0d", "30m", "7", "week", "99999d"}) {
            assertEquals(400, assertThrows(HttpError.class, () -> Api.window(bad), bad).status(), bad);
        }
    }

    @Test
    @DisplayName("should take silence matchers on kind, rule, account, subject, dedup key and labels, and name what it refuses")
    void shouldValidateSilenceMatchers() throws Exception {
        assertEquals(Map.of("accountId", "acme", "kind", "SURGE", "label.team", "Network"),
                OperatorApi.matchers(json("{\"accountId\":\" acme \",\"kind\":\"SURGE\",\"label.team\":\"Network\"}")));
        assertTrue(assertThrows(HttpError.class, () -> OperatorApi.matchers(json("{\"colour\":\"red\"}"))).getMessage()
                .contains("Unknown matcher 'colour'"));
        assertTrue(assertThrows(HttpError.class, () -> OperatorApi.matchers(json("{\"kind\":\"NOPE\"}"))).getMessage()
                .contains("Unknown signal kind 'NOPE'"));
        assertTrue(assertThrows(HttpError.class, () -> OperatorApi.matchers(json("{\"accountId\":\"\"}"))).getMessage()
                .contains("non-empty string"));
        assertTrue(assertThrows(HttpError.class, () -> OperatorApi.matchers(json("{}"))).getMessage().contains("'matchers' is required"));
        assertTrue(assertThrows(HttpError.class, () -> OperatorApi.matchers(json("{\"label.\":\"x\"}"))).getMessage().contains("Unknown matcher"));
        assertTrue(assertThrows(HttpError.class, () -> OperatorApi.matchers(null)).getMessage().contains("'matchers' is required"));
    }

    @Test
    @DisplayName("should show a silence as active only inside its window, in the service's time")
    void shouldShowASilenceActiveInItsWindowOnly() {
        Silence silence = new Silence("s-1", Map.of("accountId", "acme"), Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(2_000), "dana", "why");
        assertEquals(false, OperatorApi.view(silence, 999).get("active"));
        assertEquals(true, OperatorApi.view(silence, 1_000).get("active"));
        assertEquals(true, OperatorApi.view(silence, 1_999).get("active"));
        assertEquals(false, OperatorApi.view(silence, 2_000).get("active"), "ends at endsAt, exclusive, as the topology judges it");
    }
}
