package io.bellwether.service.cli;

import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SignalKind;
import io.bellwether.events.SignalState;
import io.bellwether.events.TicketEvent;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.ExportReader;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.service.InProcessTopology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second export layout, a three-level desk whose updates name their support level (or leave it empty, when the
 * group's level in the rules stands in), mapped by configuration alone (tiered-desk.yaml and tiered-desk-rules.yaml):
 * the tier signals it raises are exactly the fixture's ground truth (tiered-desk-truth.csv), no more, no fewer.
 */
class TieredDeskBacktestTest {
    private static final Set<SignalKind> TIER_KINDS = Set.of(SignalKind.TIER_BACKWARD, SignalKind.TIER_SKIP, SignalKind.TIER_INTAKE);

    private static Path resource(String name) throws Exception {
        return Path.of(TieredDeskBacktestTest.class.getResource(name).toURI());
    }

    @Test
    @DisplayName("should map the tiered desk by configuration alone and raise the tier signals exactly where its ground truth says")
    void shouldRaiseExactlyTheGroundTruth() throws Exception {
        List<ExportReader.BadRow> bad = new ArrayList<>();
        History history = HistoryLoader.load(resource("/exports/tiered-desk.csv"), ExportMapping.load(resource("/exports/tiered-desk.yaml")), bad::add);
        assertEquals(List.of(), bad);
        assertEquals(9, history.stats().tickets(), "T-1 .. T-9");
        TicketEvent t5 = history.events().stream().filter(e -> e.getTicketId().equals("T-5")).findFirst().orElseThrow();
        assertTrue(t5.getAttributes() == null || !t5.getAttributes().containsKey("Level"), "T-5 records no level: " + t5.getAttributes());
        assertEquals("L3", history.events().stream().filter(e -> e.getTicketId().equals("T-8")).findFirst().orElseThrow()
                .getAttributes().get("Level"), "the Level column is an attribute by the mapping");

        Rules rules = RulesParser.load(resource("/exports/tiered-desk-rules.yaml"));
        InProcessTopology.Result result = InProcessTopology.run(rules, history.events(), Duration.ofHours(1));

        Set<String> raised = new TreeSet<>();
        for (RiskSignal s : result.signals()) {
            if (TIER_KINDS.contains(s.getKind()) && s.getState() == SignalState.RAISED) {
                raised.add(s.getKind() + "," + s.getSubject().getId());
            }
        }
        Set<String> truth = new TreeSet<>();
        for (String line : Files.readAllLines(resource("/exports/tiered-desk-truth.csv")).subList(1, 6)) {
            String[] cells = line.split(",", 3);
            truth.add(cells[0] + "," + cells[1]);
        }
        assertEquals(5, truth.size());
        assertEquals(truth, raised);
    }

    @Test
    @DisplayName("should raise no tier signal on the same export with the built-in rules, which name no levels")
    void shouldStayQuietWithoutLevels() throws Exception {
        History history = HistoryLoader.load(resource("/exports/tiered-desk.csv"), ExportMapping.load(resource("/exports/tiered-desk.yaml")), b -> { });
        InProcessTopology.Result result = InProcessTopology.run(RulesParser.builtIn(), history.events(), Duration.ofHours(1));
        assertTrue(result.signals().stream().noneMatch(s -> TIER_KINDS.contains(s.getKind())), result.signals().toString());
    }
}
