package io.bellwether.common.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `bellwether config` and the start-up log may show of a setting. */
class SettingsTest {

    @Test
    @DisplayName("should mask the password of a URL, wherever it is, and leave URLs without one alone")
    void shouldMaskUrlCredentials() {
        assertEquals("https://bellwether:******@registry:8081/apis/ccompat/v7",
                Settings.maskCredentials("https://bellwether:s3cr3t@registry:8081/apis/ccompat/v7"));
        assertEquals("http://registry:8081", Settings.maskCredentials("http://registry:8081"));
        assertEquals("http://user@registry:8081", Settings.maskCredentials("http://user@registry:8081"), "no password to hide");
        assertEquals("a=http://u:******@h:1,b=https://v:******@k:2", Settings.maskCredentials("a=http://u:p@h:1,b=https://v:q@k:2"));
    }

    @Test
    @DisplayName("should never describe a secret or a password inside a URL in clear, and say where each value came from")
    void shouldDescribeWithoutSecrets() {
        Settings settings = Settings.load(Map.of("registry.url", "", "registry.basic-auth", "", "http.port", "8080"), null,
                Map.of("BELLWETHER_REGISTRY_URL", "https://bw:hunter2@registry:8081"), Map.of("registry.basic-auth", "bw:hunter2"));
        Map<String, String> described = settings.describe();
        assertTrue(described.get("registry.url").startsWith("https://bw:******@registry:8081"), described.get("registry.url"));
        assertTrue(described.get("registry.basic-auth").startsWith("******"), described.get("registry.basic-auth"));
        assertFalse(described.toString().contains("hunter2"), described.toString());
        assertTrue(described.get("registry.url").contains("["), "with its origin: " + described.get("registry.url"));
    }

    @Test
    @DisplayName("should refuse a value of the wrong kind at load, naming the setting, its origin and what it must be")
    void shouldRefuseWrongKindsAtLoad() {
        Map<String, String> defaults = Map.of("http.port", "8080", "ingest.ack-timeout", "10s", "ingest.enabled", "true", "registry.url", "");
        ConfigException port = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Settings.load(defaults, null, Map.of(), Map.of("http.port", "abc")));
        assertEquals("Setting 'http.port' (flag) must be a number like 8080, not 'abc'", port.getMessage());
        ConfigException timeout = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Settings.load(defaults, null, Map.of("BELLWETHER_INGEST_ACK_TIMEOUT", "soon"), Map.of()));
        assertTrue(timeout.getMessage().contains("'ingest.ack-timeout' (env BELLWETHER_INGEST_ACK_TIMEOUT) must be a duration"), timeout.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> Settings.load(defaults, null, Map.of(), Map.of("ingest.enabled", "yes")));
        assertEquals("5m", Settings.load(defaults, null, Map.of(), Map.of("ingest.ack-timeout", "5m")).get("ingest.ack-timeout"));
    }
}
