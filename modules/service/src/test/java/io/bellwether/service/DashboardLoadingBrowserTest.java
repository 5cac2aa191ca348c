package io.bellwether.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Before its first answer the board states nothing it does not know: every panel reads "Loading…", never "Everything
 * has an owner" or "No account has been seen yet"; and when the API refuses, the panels say they are not loaded. The
 * dashboard's own files are served as the service serves them, in front of an API that stalls or fails on purpose.
 */
class DashboardLoadingBrowserTest {
    private static final List<String> EMPTY_STATEMENTS = List.of("No account has been seen yet.", "No open tickets.",
            "Everything has an owner.", "No surge.", "No signal yet.", "Nobody holds open work.", "Nothing is silenced.",
            "No ticket opened in the last 7 days.", "No team has resolved anything yet.");

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void requireBrowser() {
        Assumptions.assumeTrue(Browser.available(), "SKIPPED: needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                + "/usr/bin/chromedriver); .ci/run installs them");
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    @DisplayName("should show loading states, not empty-state statements, while the API has not answered; screenshot under target/")
    void shouldShowLoadingStatesBeforeTheFirstAnswer() throws Exception {
        int port = serve(this::stall);
        try (Browser browser = Browser.start()) {
            browser.open("http://127.0.0.1:" + port + "/");
            await(browser, "return document.readyState === 'complete' && document.querySelectorAll('p.empty').length >= 6");
            Thread.sleep(500); // the page's scripts have run and its requests are out, unanswered
            String text = browser.eval("return document.querySelector('main').innerText").asText();
            for (String statement : EMPTY_STATEMENTS) {
                assertFalse(text.contains(statement), "'" + statement + "' shown before any answer:\n" + text);
            }
            int loading = browser.eval("return [...document.querySelectorAll('p.empty')].filter(p => !p.hidden && p.textContent === 'Loading…').length").asInt();
            assertEquals(10, loading, "every panel says it is loading:\n" + text);
            assertEquals("loading…", browser.eval("return document.getElementById('asof').textContent").asText());
            Path shot = Path.of("target", "dashboard-loading.png");
            browser.screenshot(shot);
            assertTrue(Files.size(shot) > 5_000, "a real screenshot: " + Files.size(shot) + " bytes");
        }
    }

    @Test
    @DisplayName("should say a panel is not loaded, not that all is well, when the API refuses")
    void shouldSayNotLoadedWhenTheApiFails() throws Exception {
        int port = serve(exchange -> respond(exchange, 503, "application/json", "{\"error\":\"unavailable\"}"));
        try (Browser browser = Browser.start()) {
            browser.open("http://127.0.0.1:" + port + "/");
            await(browser, "return document.getElementById('asof').textContent.startsWith('refresh failed')");
            String text = browser.eval("return document.querySelector('main').innerText").asText();
            for (String statement : EMPTY_STATEMENTS) {
                assertFalse(text.contains(statement), "'" + statement + "' shown although nothing loaded:\n" + text);
            }
            assertTrue(text.contains("Not loaded yet ("), text);
            assertFalse(browser.eval("return document.body.dataset.loaded === 'true'").asBoolean());
        }
    }

    private interface Api {
        void handle(HttpExchange exchange) throws IOException;
    }

    private int serve(Api api) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/api/")) {
                api.handle(exchange);
                return;
            }
            String file = path.equals("/") ? "index.html" : path.substring("/dashboard/".length());
            try (InputStream in = DashboardLoadingBrowserTest.class.getResourceAsStream("/bellwether/dashboard/" + file)) {
                if (in == null) {
                    respond(exchange, 404, "text/plain", "not found");
                    return;
                }
                String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
                respond(exchange, 200, type + "; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** An API that has not answered yet: the request is held until the test ends. */
    private void stall(HttpExchange exchange) {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void await(Browser browser, String condition) {
        browser.await("the board's state", condition, Duration.ofSeconds(30));
    }
}
