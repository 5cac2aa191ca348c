package io.bellwether.image;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container image the build produced, read from its tarball as a runtime would see it. */
class ImageTarballTest {
    private static final Path TARBALL = Path.of("target", "bellwether-image.tar");
    private static OciTarball image;
    private static JsonNode config;
    private static Map<String, OciTarball.Entry> files;

    @BeforeAll
    static void read() throws Exception {
        assertTrue(Files.exists(TARBALL), "the build makes " + TARBALL.toAbsolutePath() + " before the tests (jib:buildTar)");
        image = OciTarball.read(TARBALL);
        config = image.config().get("config");
        files = new HashMap<>();
        for (List<OciTarball.Entry> layer : image.layers()) {
            layer.forEach(e -> files.put(e.path().replaceAll("/$", ""), e));
        }
    }

    @Test
    @DisplayName("should start the service's run command on the image's own runtime, with heap sized from the container memory")
    void shouldHaveAnEntrypointOnItsOwnRuntime() {
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        assertEquals("/opt/java/bin/java", entrypoint.get(0));
        assertTrue(entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), "heap from the container limit: " + entrypoint);
        assertEquals("io.bellwether.service.Main", entrypoint.get(entrypoint.size() - 1));
        assertEquals("run", config.get("Cmd").get(0).asText());
        OciTarball.Entry java = files.get("opt/java/bin/java");
        assertNotNull(java, "the runtime is in the image");
        assertEquals(0755, java.mode() & 0777, "java is executable");
        assertNotNull(files.get("lib64/ld-linux-x86-64.so.2"), "the dynamic loader is in the image");
        assertNotNull(files.get("app/jib-classpath-file"), "the classpath file the entrypoint names");
        for (String jar : new String(files.get("app/jib-classpath-file").content()).trim().split(":")) {
            if (jar.endsWith(".jar")) {
                assertNotNull(files.get(jar.substring(1)), "classpath entry in the image: " + jar);
            }
        }
    }

    @Test
    @DisplayName("should run the service's CLI from the image's own files alone, as its non-root user (chroot, no Docker)")
    void shouldRunFromTheImageFilesAlone(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/chroot")),
                "SKIPPED: running the image's files needs root (chroot, mount -t proc); the config checks above still ran");
        Path root = work.resolve("root");
        Files.createDirectories(root);
        run(work, "tar", "-xf", TARBALL.toAbsolutePath().toString(), "-C", work.toString());
        for (JsonNode layer : image.manifest().get("layers")) {
            run(work, "tar", "-xzf", work.resolve("blobs/sha256/" + layer.get("digest").asText().substring(7)).toString(), "-C", root.toString());
        }
        Files.createDirectories(root.resolve("proc"));
        run(work, "mount", "-t", "proc", "proc", root.resolve("proc").toString());
        try {
            List<String> command = new ArrayList<>(List.of("env", "-i"));
            config.get("Env").forEach(n -> command.add(n.asText()));
            command.addAll(List.of("/usr/sbin/chroot", "--userspec=" + config.get("User").asText(), root.toString()));
            config.get("Entrypoint").forEach(n -> command.add(n.asText()));
            command.add("config");
            String out = run(work, command.toArray(String[]::new));
            assertTrue(out.contains("/var/lib/bellwether"), "the image's environment configures the service:\n" + out);
            assertTrue(out.contains("0.0.0.0"), out);
        } finally {
            run(work, "umount", root.resolve("proc").toString());
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    @Test
    @DisplayName("should run as a non-root user, expose the HTTP ports and keep state on a volume")
    void shouldRunAsNonRootWithPortsAndVolume() {
        assertEquals("10001:10001", config.get("User").asText());
        assertTrue(config.get("ExposedPorts").has("8080/tcp"), "query API and dashboard");
        assertTrue(config.get("ExposedPorts").has("8081/tcp"), "webhooks");
        assertTrue(config.get("Volumes").has("/var/lib/bellwether"));
        List<String> env = new ArrayList<>();
        config.get("Env").forEach(n -> env.add(n.asText()));
        assertTrue(env.contains("BELLWETHER_DATA_DIR=/var/lib/bellwether"), "state under the volume: " + env);
        assertTrue(env.contains("BELLWETHER_HTTP_HOST=0.0.0.0"), "reachable from outside the container: " + env);
        assertEquals(0777, files.get("var/lib/bellwether").mode() & 0777, "the non-root user can write its state");
        assertTrue(new String(files.get("etc/passwd").content()).contains("bellwether:x:10001:10001"));
    }
}
