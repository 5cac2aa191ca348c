package io.bellwether.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.ExportReader;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.service.WebDriverAccess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An export in a layout nothing in Bellwether knows (semicolons, its own column names, ISO times with offsets from
 * two offices, its own status and urgency words), read and backtested by its mapping file alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtherLayoutBacktestTest {
    private Path export;
    private Path mapping;
    private Path out;
    private CliRun backtest;

    @BeforeAll
    void runTheBacktest() throws Exception {
        export = resource("/exports/acme-psa.csv");
        mapping = resource("/exports/acme-psa.yaml");
        out = Files.createTempDirectory("backtest-acme");
        backtest = CliRun.of("backtest", "--export", export.toString(), "--mapping", mapping.toString(), "--out", out.toString(),
                "--bootstrap-servers", SharedStack.get().bootstrapServers(), "--registry-url", SharedStack.get().registryUrl());
    }

    @Test
    @DisplayName("should map every usable row by the mapping file alone: offsets, statuses and urgencies translated")
    void shouldMapTheOtherLayout() {
        List<ExportReader.BadRow> bad = new ArrayList<>();
        History history = HistoryLoader.load(export, ExportMapping.load(mapping), bad::add);
        assertEquals(6, history.stats().tickets(), "K-1 .. K-6");
        assertEquals(21, history.events().size(), "23 rows, 2 unusable");
        TicketEvent first = history.events().stream().filter(e -> e.getTicketId().equals("K-4")).findFirst().orElseThrow();
        assertEquals(Instant.parse("2026-11-02T13:05:00Z"), first.getOccurredAt(), "08:05-05:00 is 13:05 UTC");
        assertEquals(Priority.P1, first.getPriorityLevel(), "Critical is P1");
        assertEquals(StatusCategory.NEW, first.getStatusCategory(), "Logged is NEW");
        assertEquals("acme-psa", first.getSourceSystem());
        assertTrue(history.events().stream().anyMatch(e -> e.getStatusCategory() == StatusCategory.WAITING_ON_CUSTOMER), "Parked - Customer");
        assertTrue(history.outcomes().values().stream().filter(o -> o.ticketKey().equals("acme-psa:K-1")).findFirst().orElseThrow().slaMissed(),
                "the Breached column is the outcome");
        assertEquals(2, history.outcomes().values().stream().filter(io.bellwether.replay.TicketOutcome::slaMissed).count(), "K-1 and K-4");
        assertEquals(2, bad.size(), "two bad rows: " + bad);
        assertEquals(19, bad.get(0).line(), "the unparseable time is on line 19: " + bad.get(0));
        assertTrue(bad.get(0).reason().contains("not a time"), bad.get(0).reason());
        assertEquals(21, bad.get(1).line(), "the row without a ticket id is on line 21: " + bad.get(1));
    }

    @Test
    @DisplayName("should backtest the export to the end, reporting bad rows with file, line and reason, and write HTML and JSON")
    void shouldBacktestTheOtherLayout() throws Exception {
        assertEquals(0, backtest.exit(), backtest.all());
        assertTrue(backtest.out().contains("acme-psa.csv:19:"), "bad row reported with file and line:\n" + backtest.out());
        assertTrue(backtest.out().contains("acme-psa.csv:21:"), backtest.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("backtest.json").toFile());
        assertEquals(21, report.get("events").asInt());
        assertEquals(2, report.get("badRows").asInt());
        JsonNode run = report.get("runs").get(0);
        assertTrue(run.toString().contains("UNASSIGNED"), "K-1 waited 4.5 h for an engineer: " + run);
        assertTrue(run.toString().contains("PING_PONG"), "K-2 bounced mia > ravi > mia: " + run);

        List<String> lines = Files.readAllLines(out.resolve("signals.jsonl"));
        assertEquals(run.get("signalsRaised").asLong(), lines.stream().filter(l -> l.contains("\"state\":\"RAISED\"")).count(),
                "one line per transition, every raise among them");
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        for (String field : List.of("dedupKey", "kind", "state", "severity", "subject", "occurredAt", "reason")) {
            assertTrue(first.hasNonNull(field), field + " in " + first);
        }
        assertEquals(3, run.get("baselines").size(), "the baseline at the rules' volume, at best F1 and at 96 h: " + run.get("baselines"));
        assertEquals(0, run.get("baselines").get(2).get("flagged").asInt(), "no ticket of this export was open 96 h");
    }

    @Test
    @DisplayName("should render the HTML report with its plots in headless Chromium")
    void shouldRenderTheHtmlReport() throws Exception {
        Assumptions.assumeTrue(WebDriverAccess.available(), "SKIPPED: needs Debian's chromium and chromium-driver; .ci/run installs them");
        assertEquals(0, backtest.exit(), backtest.all());
        Path html = out.resolve("backtest.html");
        try (WebDriverAccess browser = WebDriverAccess.start()) {
            browser.open(html.toUri().toString());
            int plots = browser.eval("return document.querySelectorAll('svg').length").asInt();
            assertTrue(plots >= 4, "lead-time histogram, alerts per day, precision vs recall, account timeline: " + plots);
            int drawn = browser.eval("return Array.from(document.querySelectorAll('svg')).filter(s => s.getBBox().width > 0"
                    + " && s.querySelectorAll('rect,circle,path,line,polyline').length > 0).length").asInt();
            assertEquals(plots, drawn, "every plot has drawn marks");
            assertTrue(browser.eval("return document.body.innerText").asText().contains("precision"));
            browser.screenshot(Path.of("target", "backtest-report.png"));
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(OtherLayoutBacktestTest.class.getResource(name).toURI());
    }
}
