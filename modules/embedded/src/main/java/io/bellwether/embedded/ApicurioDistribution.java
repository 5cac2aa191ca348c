package io.bellwether.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds the Apicurio Registry distribution the build fetched and unpacks it once into a cache directory,
 * so every later start (and every test JVM) reuses the same unpacked copy.
 */
public final class ApicurioDistribution {
    private ApicurioDistribution() {
    }

    /**
     * Returns the runner jar of the unpacked distribution.
     *
     * @param explicit a zip or an already unpacked directory given in configuration, or null to use the
     *                 one the build recorded
     * @param cacheDir where unpacked distributions are kept
     */
    public static Path runnerJar(Path explicit, Path cacheDir) {
        Properties build = buildInfo();
        String version = build.getProperty("apicurio.version", "unknown");
        Path source = explicit != null ? explicit : recordedZip(build);
        if (Files.isDirectory(source)) {
            return findRunner(source);
        }
        Path target = cacheDir.resolve("apicurio-registry-" + version);
        if (!Files.isDirectory(target)) {
            unpack(source, target);
        }
        return findRunner(target);
    }

    private static Path recordedZip(Properties build) {
        for (String key : new String[] {"apicurio.zip.repository", "apicurio.zip.build"}) {
            String path = build.getProperty(key);
            if (path != null && !path.contains("${") && Files.isRegularFile(Path.of(path))) {
                return Path.of(path);
            }
        }
        Path home = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "apicurio", "apicurio-registry-app",
                build.getProperty("apicurio.version", ""));
        Path guess = home.resolve("apicurio-registry-app-" + build.getProperty("apicurio.version", "") + "-all.zip");
        if (Files.isRegularFile(guess)) {
            return guess;
        }
        throw new EmbeddedStartException("The Apicurio Registry distribution was not found (looked at "
                + build.getProperty("apicurio.zip.repository") + " and " + guess + "). Build once with 'mvn -DskipTests package' "
                + "to fetch it, or set embedded.registry.distribution to its zip or unpacked folder.");
    }

    private static Properties buildInfo() {
        Properties props = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream("/bellwether-embedded.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException ignored) {
            // Falls back to the conventional local repository path.
        }
        return props;
    }

    private static void unpack(Path zip, Path target) {
        Path staging = target.resolveSibling(target.getFileName() + ".unpacking-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(staging);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("zip entry escapes the target folder: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            // Another process may have finished first; either copy is complete, so keep theirs.
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
                deleteRecursively(staging);
            }
        } catch (IOException e) {
            deleteRecursively(staging);
            throw new EmbeddedStartException("Cannot unpack the Apicurio Registry distribution " + zip + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private static Path findRunner(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new EmbeddedStartException("No *-runner.jar in the Apicurio distribution at " + dir));
        } catch (IOException e) {
            throw new EmbeddedStartException("Cannot read the Apicurio distribution at " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover staging folder is harmless.
        }
    }
}
