package io.bellwether.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's calibration, end to end on the real ServiceNow history in {@code ../shared}: learn from the incidents
 * opened before 2016-03-21, score on those opened from then on, and compare the consolidated alert with the best "still
 * open after H hours" baseline, whose H is chosen on the scored part itself (a hindsight the alert does not get).
 */
class ServiceNowCalibrationTest {
    private static final Path EXPORT = Path.of("../../../shared/data/servicenow-incident-log/incident_event_log.csv.gz");

    @Test
    @DisplayName("should beat the best 'still open after H hours' baseline on precision and recall at no more alerts per day")
    void shouldBeatTheBaselineOnUnseenHistory() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(EXPORT), "SKIPPED: needs ../shared/data/servicenow-incident-log beside the clone (CI has it)");
        Path out = Files.createTempDirectory("calibrate-servicenow");
        CliRun run = CliRun.of("calibrate", "--export", EXPORT.toString(), "--mapping", "servicenow-incident", "--until", "2016-03-21",
                "--out", out.toString());
        assertEquals(0, run.exit(), run.all());

        String rules = Files.readString(out.resolve("calibrated-rules.yaml"));
        assertTrue(rules.contains("P3:") && rules.contains("MONDAY:") && rules.contains("P1: 0m"), rules);
        JsonNode report = new ObjectMapper().readTree(out.resolve("backtest.json").toFile());
        JsonNode calibrated = report.get("runs").get(0);
        assertEquals("calibrated-rules.yaml", calibrated.get("rules").asText());
        assertEquals("2016-03-21T00:00:00Z", calibrated.get("scoredFrom").asText());
        assertEquals(7_792, calibrated.get("tickets").asInt(), "the incidents opened from 2016-03-21 on");
        JsonNode alert = calibrated.get("ticketAlert");
        JsonNode best = calibrated.get("baselines").get(1);
        assertEquals("best F1", best.get("label").asText());
        String table = "alert " + alert + "\nbaseline " + best;
        assertTrue(alert.get("precision").asDouble() > best.get("precision").asDouble(), table);
        assertTrue(alert.get("recall").asDouble() > best.get("recall").asDouble(), table);
        assertTrue(alert.get("alertsPerDay").asDouble() <= best.get("alertsPerDay").asDouble(), table);
        assertTrue(alert.get("raised").asLong() <= best.get("flagged").asLong(), "raises, re-raises included: " + table);

        JsonNode builtIn = report.get("runs").get(1);
        assertEquals("built-in", builtIn.get("rules").asText(), "the starting rules are scored beside it");
    }
}
