package io.bellwether.service.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code bellwether probe URL}: exit 0 when the URL answers 200, 1 otherwise. The container image has no shell or
 * curl, so container health checks run this.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Exit 0 if the URL answers 200 (for container health checks), 1 otherwise.")
public final class ProbeCommand implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "http://127.0.0.1:8080/ready", description = "URL to check (default ${DEFAULT-VALUE}).")
    String url;

    @Override
    public Integer call() {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.body());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IllegalArgumentException e) {
            System.out.println("not a URL: '" + url + "' (" + e.getMessage() + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.out.println("interrupted while probing " + url);
            return 1;
        } catch (Exception e) {
            System.out.println("unreachable: " + url + ": " + describe(e));
            return 1;
        }
    }

    /** "connection refused (ConnectException)": the JDK's connect failures often carry no message of their own. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused (ConnectException)";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time (" + t.getClass().getSimpleName() + ")";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage() + " (" + t.getClass().getSimpleName() + ")";
            }
        }
        return e.getClass().getSimpleName();
    }
}
