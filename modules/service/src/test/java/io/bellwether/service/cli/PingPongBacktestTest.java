package io.bellwether.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ping-pong as a service desk means it, on a small export whose PSA says which tickets bounced between teams: person
 * hand-backs inside a team (P-1) and many person handoffs (P-4) are routine, a team hand-back (P-2) and a longer team
 * cycle (P-3) are ping-pong, a team chain without a return (P-5) is not. No SLA column: PING_PONG is scored against it.
 */
class PingPongBacktestTest {

    private static JsonNode backtest(String mapping, Path out) throws Exception {
        Path export = Path.of(PingPongBacktestTest.class.getResource("/exports/pingpong-psa.csv").toURI());
        Path map = Path.of(PingPongBacktestTest.class.getResource("/exports/" + mapping).toURI());
        CliRun run = CliRun.of("backtest", "--export", export.toString(), "--mapping", map.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.all());
        return new ObjectMapper().readTree(out.resolve("backtest.json").toFile()).get("runs").get(0);
    }

    @Test
    @DisplayName("should raise PING_PONG exactly on the team bounces and cycles, and score it against the export's ping-pong column")
    void shouldRaiseOnTeamBouncesAndScoreAgainstTheColumn() throws Exception {
        Path out = Files.createTempDirectory("backtest-pingpong");
        JsonNode run = backtest("pingpong-psa.yaml", out);
        ObjectMapper json = new ObjectMapper();
        List<String> raised = Files.readAllLines(out.resolve("signals.jsonl")).stream().map(line -> {
            try {
                return json.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(s -> s.get("kind").asText().equals("PING_PONG") && s.get("state").asText().equals("RAISED"))
                .map(s -> s.get("subject").asText()).sorted().toList();
        assertEquals(List.of("pingpong-psa:P-2", "pingpong-psa:P-3"), raised);

        JsonNode truth = run.get("truths").get(0);
        assertEquals("PING_PONG", truth.get("kind").asText());
        assertEquals(2, truth.get("truthTickets").asInt(), "Bounced=Y on P-2 and P-3");
        assertEquals(2, truth.get("signalled").asInt());
        assertEquals(1.0, truth.get("precision").asDouble());
        assertEquals(1.0, truth.get("recall").asDouble());
        assertEquals(0, run.get("slaMissed").asInt(), "the export has no SLA column");
    }

    @Test
    @DisplayName("should derive the same ping-pong truth from the team sequence when the export has no column for it")
    void shouldDeriveTheTruthFromTeams() throws Exception {
        JsonNode truth = backtest("pingpong-derived.yaml", Files.createTempDirectory("backtest-pingpong-derived")).get("truths").get(0);
        assertEquals(2, truth.get("truthTickets").asInt(), "Helpdesk > Network > Helpdesk and Helpdesk > Network > Storage > Helpdesk");
        assertEquals(1.0, truth.get("precision").asDouble());
        assertEquals(1.0, truth.get("recall").asDouble());
    }
}
