package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/** {@link WebDriver} for tests in other packages. */
public final class WebDriverAccess implements AutoCloseable {
    private final WebDriver driver;

    private WebDriverAccess(WebDriver driver) {
        this.driver = driver;
    }

    public static boolean available() {
        return WebDriver.available();
    }

    public static WebDriverAccess start() throws Exception {
        return new WebDriverAccess(WebDriver.start());
    }

    public void open(String url) throws Exception {
        driver.open(url);
    }

    public JsonNode eval(String script) throws Exception {
        return driver.eval(script);
    }

    public void screenshot(Path file) throws Exception {
        driver.screenshot(file);
    }

    @Override
    public void close() {
        driver.close();
    }
}
