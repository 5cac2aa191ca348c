package io.bellwether.service.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the command line is refused up front, with a message that says where, before anything starts. */
class RefusalTest {

    @Test
    @DisplayName("should refuse to start with a rules file that has an error, naming its line, before starting anything")
    void shouldRefuseABadRulesFileAtStart(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                version: 1
                defaults:
                  unassigned:
                    threshold: {default: 1h, P2: soon}
                """);
        Path data = dir.resolve("data");
        CliRun run = CliRun.of("run", "--rules", rules.toString(), "--data-dir", data.toString());
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("rules.yaml"), run.err());
        assertTrue(run.err().matches("(?s).*line 4.*"), "names the line of the error: " + run.err());
        assertTrue(run.err().contains("soon"), "and the offending value: " + run.err());
        assertFalse(Files.exists(data.resolve("kafka")) || Files.exists(data.resolve("streams")), "nothing was started");
    }

    @Test
    @DisplayName("should refuse a backtest of a file that cannot be read, before anything is produced")
    void shouldRefuseAnUnreadableExport(@TempDir Path dir) {
        Path data = dir.resolve("data");
        CliRun run = CliRun.of("backtest", "--export", dir.resolve("missing.csv").toString(), "--mapping", "servicenow-incident",
                "--data-dir", data.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("missing.csv"), "names the file: " + run.err());
        assertFalse(Files.exists(data), "no broker or registry was started: nothing produced");
    }

    @Test
    @DisplayName("should refuse a mapping that names a column the export does not have, before anything is produced")
    void shouldRefuseAMappingError(@TempDir Path dir) throws Exception {
        Path export = dir.resolve("export.csv");
        Files.writeString(export, "id,when,state\n1,2026-11-02T09:00:00Z,New\n");
        Path mapping = dir.resolve("mapping.yaml");
        Files.writeString(mapping, """
                source: tiny
                format: csv
                time: {format: iso, zone: UTC}
                fields:
                  ticketId: id
                  occurredAt: when
                  status: status_name
                """);
        Path data = dir.resolve("data");
        CliRun run = CliRun.of("backtest", "--export", export.toString(), "--mapping", mapping.toString(), "--data-dir", data.toString(),
                "--out", dir.resolve("out").toString());
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("status_name"), "names the missing column: " + run.err());
        assertFalse(Files.exists(data), "nothing was started or produced");
    }

    @Test
    @DisplayName("should refuse a setting of the wrong kind before starting a broker or a registry")
    void shouldRefuseAWrongKindBeforeStarting(@TempDir Path dir) {
        Path data = dir.resolve("data");
        CliRun run = CliRun.of("run", "--set", "http.port=abc", "--data-dir", data.toString());
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("Setting 'http.port' (flag) must be a number like 8080, not 'abc'"), run.err());
        assertFalse(Files.exists(data.resolve("kafka")) || Files.exists(data.resolve("registry")), "nothing was started");
    }

    @Test
    @DisplayName("should say why a probe failed: the URL and what went wrong, never 'null'")
    void shouldExplainAFailedProbe() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun run = CliRun.of("probe", "http://127.0.0.1:" + port + "/ready");
        assertEquals(1, run.exit(), run.all());
        assertTrue(run.out().contains("unreachable: http://127.0.0.1:" + port + "/ready: "), run.out());
        assertFalse(run.out().contains("null"), run.out());
        assertTrue(run.out().contains("ConnectException"), run.out());
    }
}
