package io.bellwether.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry, run as a child process on loopback, serving the Confluent-compatible API at
 * {@code /apis/ccompat/v7}. Its storage is an H2 database file under the data directory, so schema ids
 * written into kept topics still resolve after a restart.
 *
 * <p>The child runs under a small shell watchdog: if this JVM dies without running its shutdown hooks
 * (kill -9), the watchdog stops the registry within a second, so no process is left behind.
 */
public final class EmbeddedRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistry.class);
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private final Process process;
    private final int port;
    private final Path home;

    private EmbeddedRegistry(Process process, int port, Path home) {
        this.process = process;
        this.port = port;
        this.home = home;
    }

    /**
     * Starts the registry and waits until its API answers.
     *
     * @param dataDir      the registry keeps {@code <dataDir>/registry/} (database, log, pid file)
     * @param port         HTTP port, 0 for a free one
     * @param distribution the distribution zip or folder, or null for the one the build fetched
     * @param cacheDir     where the distribution is unpacked once
     */
    public static EmbeddedRegistry start(Path dataDir, int port, Path distribution, Path cacheDir, Duration timeout) {
        Path home = dataDir.resolve("registry").toAbsolutePath();
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new EmbeddedStartException("Cannot create the registry's data directory " + home + ": " + e.getMessage(), e);
        }
        stopStale(home);
        int chosen = choosePort(port, home);
        Path runner = ApicurioDistribution.runnerJar(distribution, cacheDir);
        Path logFile = home.resolve("registry.log");

        List<String> java = new ArrayList<>(List.of(
                javaExecutable(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + chosen,
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.log.category.\"io.apicurio\".level=WARN",
                "-Dquarkus.datasource.jdbc.min-size=1",
                "-Dquarkus.datasource.jdbc.initial-size=1",
                "-jar", runner.toString()));
        String watchdog = "\"$@\" & child=$!; "
                + "trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT HUP; "
                + "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; "
                + "kill -TERM $child 2>/dev/null; wait $child";
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", watchdog, "bellwether-registry-watchdog"));
        command.addAll(java);

        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // DB_CLOSE_ON_EXIT=FALSE lets Quarkus close H2 in order on SIGTERM; the file keeps every schema.
        builder.environment().put("REGISTRY_DATASOURCE_URL",
                "jdbc:h2:file:" + home.resolve("db").resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE");
        builder.environment().put("REGISTRY_CCOMPAT_LEGACY_ID_MODE_ENABLED", "false");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EmbeddedStartException("Cannot start the schema registry process: " + e.getMessage(), e);
        }
        writePid(home, process);
        EmbeddedRegistry registry = new EmbeddedRegistry(process, chosen, home);
        try {
            registry.awaitReady(timeout, logFile);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        log.info("Embedded schema registry (Apicurio) ready at {} in {} ms (data: {})", registry.url(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), home);
        return registry;
    }

    /** The Confluent-compatible base URL. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Every process this registry started (watchdog shell and registry JVM). */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.toHandle().descendants().forEach(all::add);
        return all;
    }

    private void awaitReady(Duration timeout, Path logFile) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new EmbeddedStartException("The schema registry process exited with code " + process.exitValue()
                        + " before it was ready. Last lines of " + logFile + ":\n" + tail(logFile, 20));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedStartException("Interrupted while waiting for the schema registry", e);
            }
            sleep(200);
        }
        throw new EmbeddedStartException("The schema registry did not answer at " + url() + " within " + timeout.toSeconds()
                + " s. Last lines of " + logFile + ":\n" + tail(logFile, 20));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            List<ProcessHandle> children = process.toHandle().descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            // The watchdog waits for the registry; anything still alive here did not honour SIGTERM.
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        try {
            Files.deleteIfExists(home.resolve("registry.pid"));
        } catch (IOException ignored) {
            // A stale pid file is checked against the live process table on the next start.
        }
        log.info("Embedded schema registry on port {} stopped", port);
    }

    /** The requested port; for 0, the port of the last run when it is free (clients keep their URL), else a free one. */
    private static int choosePort(int requested, Path home) {
        if (requested != 0) {
            return Ports.choose(requested, "The embedded schema registry", "embedded.registry.port");
        }
        Path remembered = home.resolve("registry.port");
        try {
            if (Files.exists(remembered)) {
                int last = Integer.parseInt(Files.readString(remembered).trim());
                if (Ports.isFree(last)) {
                    return last;
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("Ignoring unreadable {}: {}", remembered, e.getMessage());
        }
        int port = Ports.freePort();
        try {
            Files.writeString(remembered, String.valueOf(port));
        } catch (IOException e) {
            log.debug("Cannot remember the registry port: {}", e.getMessage());
        }
        return port;
    }

    /** Kills a registry left running by an earlier run of this data directory that could not clean up. */
    private static void stopStale(Path home) {
        Path pidFile = home.resolve("registry.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> stale = ProcessHandle.of(pid);
            stale.filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains("bellwether-registry-watchdog")).orElse(false))
                    .ifPresent(h -> {
                        log.warn("Stopping a schema registry left running by an earlier run (pid {})", pid);
                        h.descendants().forEach(ProcessHandle::destroy);
                        h.destroy();
                        h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> null).join();
                    });
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.warn("Ignoring unreadable registry pid file {}: {}", pidFile, e.getMessage());
        }
    }

    private static void writePid(Path home, Process process) {
        try {
            Files.writeString(home.resolve("registry.pid"), String.valueOf(process.pid()));
        } catch (IOException e) {
            log.warn("Cannot write the registry pid file: {}", e.getMessage());
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
