package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Headless Debian Chromium driven by Selenium through the system's chromedriver (never Selenium Manager, which would
 * download a driver), with the flags this machine's closed network needs: no background networking, no component
 * updates. Conditions are waited for with Awaitility; a wait that times out leaves a screenshot under target/.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Whether this machine has the browser and its driver (.ci/run installs Debian's chromium and chromium-driver). */
    public static boolean available() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    public static Browser start() throws Exception {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1800",
                "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Runs {@code script} (a function body) in the page and returns its value as JSON. */
    public JsonNode eval(String script) {
        return QueryInstances.JSON.valueToTree(((JavascriptExecutor) driver).executeScript(script));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Clicks the element {@code css} names, found afresh: a page that re-renders may have replaced the one seen before. */
    public void click(String css) {
        fresh(css, WebElement::click);
    }

    /** Types {@code text} into the (emptied) field {@code css} names, found afresh. */
    public void type(String css, String text) {
        fresh(css, field -> {
            field.clear();
            field.sendKeys(text);
        });
    }

    private void fresh(String css, java.util.function.Consumer<WebElement> action) {
        Awaitility.await(css).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoreExceptionsInstanceOf(org.openqa.selenium.NoSuchElementException.class)
                .untilAsserted(() -> action.accept(find(css)));
    }

    /** Waits up to {@code timeout} until {@code condition} (a script returning a boolean) holds in the page. */
    public void await(String what, String condition, Duration timeout) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(150)).ignoreExceptions()
                    .until(() -> eval(condition).asBoolean());
        } catch (ConditionTimeoutException e) {
            Path shot = Path.of("target", "browser-timeout-" + System.currentTimeMillis() + ".png");
            try {
                screenshot(shot);
            } catch (Exception ignored) {
                // The failure below says what was awaited either way.
            }
            throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + " (" + condition + "); screenshot in " + shot, e);
        }
    }

    public void screenshot(Path file) throws Exception {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
