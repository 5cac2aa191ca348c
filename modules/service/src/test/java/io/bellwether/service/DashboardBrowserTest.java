package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium, served by the running demo: it loads with no external resource,
 * shows the boards, and signals arrive live (over server-sent events) while the demo plays its week.
 */
class DashboardBrowserTest {

    @Test
    @DisplayName("should show live data on the dashboard of the running demo, and save a screenshot under target/")
    void shouldShowLiveDataOnTheDashboard(@TempDir Path dataDir) throws Exception {
        Assumptions.assumeTrue(Browser.available(), "SKIPPED: needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                + "/usr/bin/chromedriver); .ci/run installs them");
        int port = QueryInstances.freePort();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread demo = new Thread(() -> exit.set(Main.execute("demo", "--exit-after-replay", "--speed", "14400", "--data-dir",
                dataDir.toString(), "--set", "http.port=" + port, "--set", "ingest.port=0")), "demo");
        demo.start();
        try (Browser browser = Browser.start()) {
            awaitReady(port);
            browser.open("http://127.0.0.1:" + port + "/");
            await(browser, "return document.body.dataset.loaded === 'true'", "the boards to load");
            await(browser, "return Number(document.body.dataset.signals || 0) >= 5", "signals to arrive live over the stream");
            await(browser, "return document.querySelectorAll('#accounts > tbody > tr').length >= 3", "accounts on the risk board");
            await(browser, "return document.getElementById('status').dataset.state === 'live'", "the live indicator");
            JsonNode timeline = browser.eval("return document.querySelectorAll('#timeline li').length");
            assertTrue(timeline.asInt() >= 5, "timeline entries: " + timeline);
            JsonNode firstAccount = browser.eval("return document.querySelector('#accounts tbody tr').dataset.account");
            JsonNode api = QueryInstances.get(port, "/api/accounts").json().get("items");
            assertTrue(api.findValuesAsText("accountId").contains(firstAccount.asText()), "the board shows the API's accounts");
            Thread.sleep(1500); // let the debounced refresh after the last signal land, for a complete picture
            // The score is shown one way, as the API and the reason give it, and its breakdown adds up to it.
            JsonNode board = browser.eval("return [...document.querySelectorAll('#accounts > tbody > tr')].map(r => ({account: r.dataset.account, "
                    + "score: r.querySelector('.score').textContent, reason: r.cells[2].innerText, "
                    + "points: [...r.querySelectorAll('.breakdown tr td:last-child')].slice(0, -1).map(td => Number(td.textContent.slice(2)))}))");
            boolean broken = false;
            for (JsonNode row : board) {
                assertTrue(row.get("score").asText().matches("\\d+\\.\\d"), "one decimal: " + row);
                java.util.regex.Matcher inReason = java.util.regex.Pattern.compile("risk \\(([0-9.]+)\\)").matcher(row.get("reason").asText());
                if (inReason.find()) {
                    assertEquals(Double.parseDouble(row.get("score").asText()), Double.parseDouble(inReason.group(1)), 0.001, "as in the reason: " + row);
                }
                double sum = 0;
                for (JsonNode p : row.get("points")) {
                    sum += p.asDouble();
                }
                if (row.get("points").size() > 0) {
                    broken = true;
                    assertEquals(Math.min(100, sum), Double.parseDouble(row.get("score").asText()), 0.1 + 0.01 * row.get("points").size(),
                            "the breakdown adds up to the score: " + row);
                }
            }
            assertTrue(broken, "at least one account shows why its score is what it is: " + board);
            Path shot = Path.of("target", "dashboard.png");
            browser.screenshot(shot);
            assertTrue(Files.size(shot) > 20_000, "a real screenshot: " + Files.size(shot) + " bytes");
        } finally {
            demo.join(180_000);
        }
        assertEquals(0, exit.get(), "the demo finished cleanly");
    }

    private static void awaitReady(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (QueryInstances.get(port, "/ready").status() != 200) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the demo's dashboard never became ready on port " + port);
            }
            Thread.sleep(100);
        }
    }

    private static void await(Browser browser, String condition, String what) {
        browser.await(what, condition, Duration.ofSeconds(60));
    }
}
