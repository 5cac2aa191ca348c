package io.bellwether.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bellwether.common.config.Settings;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.service.ServiceConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment files users copy: the Kubernetes manifests, the compose file, the Grafana dashboard. Each is
 * parsed, and its settings are checked against what the service actually reads, so a renamed setting or metric
 * cannot leave them silently wrong.
 */
@SuppressWarnings("unchecked")
class DeployManifestsTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");

    @Test
    @DisplayName("should parse every Kubernetes manifest and list each one in the kustomization")
    void shouldParseKubernetesManifests() throws Exception {
        Map<String, Object> kustomization = yaml(KUBERNETES.resolve("kustomization.yaml")).get(0);
        Set<String> listed = new HashSet<>((List<String>) kustomization.get("resources"));
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            Set<String> present = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toSet());
            assertEquals(present, listed);
        }
        Set<String> kinds = new HashSet<>();
        for (Map<String, Object> doc : kubernetes()) {
            assertNotNull(doc.get("apiVersion"));
            kinds.add((String) doc.get("kind"));
        }
        assertEquals(Set.of("ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget"), kinds);
    }

    @Test
    @DisplayName("should run at least two pods with probes on /ready and /health, state on a claim, and application.server from the pod IP")
    void shouldHaveTheStatefulSetEssentials() throws Exception {
        Map<String, Object> set = kind("StatefulSet");
        Map<String, Object> spec = map(set, "spec");
        assertTrue((Integer) spec.get("replicas") >= 2, "scale-out");
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertEquals("/ready", map(map(container, "readinessProbe"), "httpGet").get("path"));
        assertEquals("/health", map(map(container, "livenessProbe"), "httpGet").get("path"));
        Map<String, Object> claim = ((List<Map<String, Object>>) spec.get("volumeClaimTemplates")).get(0);
        String claimName = (String) map(claim, "metadata").get("name");
        boolean mounted = ((List<Map<String, Object>>) container.get("volumeMounts")).stream()
                .anyMatch(m -> claimName.equals(m.get("name")) && "/var/lib/bellwether".equals(m.get("mountPath")));
        assertTrue(mounted, "the claim holds the state directory (the image's BELLWETHER_DATA_DIR)");
        List<Map<String, Object>> env = (List<Map<String, Object>>) container.get("env");
        Map<String, Object> advertised = env.stream().filter(e -> "BELLWETHER_HTTP_ADVERTISED_HOST".equals(e.get("name"))).findFirst().orElseThrow();
        Matcher ref = Pattern.compile("\\$\\((\\w+)\\)").matcher((String) advertised.get("value"));
        assertTrue(ref.matches(), "advertised host refers to another variable");
        Map<String, Object> source = env.stream().filter(e -> ref.group(1).equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals("status.podIP", map(map(source, "valueFrom"), "fieldRef").get("fieldPath"));
        assertEquals("0.0.0.0", env.stream().filter(e -> "BELLWETHER_HTTP_HOST".equals(e.get("name"))).findFirst().orElseThrow().get("value"));
        Map<String, Object> security = map(pod, "securityContext");
        assertEquals(true, security.get("runAsNonRoot"));
        assertEquals(10001, security.get("fsGroup"), "the non-root user can write its volume");

        Map<String, Object> podLabels = map(map(map(spec, "template"), "metadata"), "labels");
        assertEquals(podLabels, map(map(map(kind("PodDisruptionBudget"), "spec"), "selector"), "matchLabels"));
        for (Map<String, Object> doc : kubernetes()) {
            if ("Service".equals(doc.get("kind"))) {
                assertEquals(podLabels, map(map(doc, "spec"), "selector"), "service selects the pods");
            }
        }
    }

    @Test
    @DisplayName("should configure only settings the service knows, and ship a rules file that parses")
    void shouldUseKnownSettingsInTheConfigMap() throws Exception {
        Map<String, Object> data = map(kind("ConfigMap"), "data");
        Set<String> known = knownEnvironment();
        for (String key : data.keySet()) {
            if (key.startsWith("BELLWETHER_")) {
                assertTrue(known.contains(key), key + " is not a setting the service reads");
            }
        }
        RulesParser.parse((String) data.get("rules.yaml"), "configmap rules.yaml");
        Map<String, Object> container = ((List<Map<String, Object>>) map(map(map(kind("StatefulSet"), "spec"), "template"), "spec")
                .get("containers")).get(0);
        for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            String name = (String) e.get("name");
            assertTrue(!name.startsWith("BELLWETHER_") || known.contains(name), name + " is not a setting the service reads");
        }
    }

    @Test
    @DisplayName("should describe Kafka, a registry, two Bellwether replicas with health checks and volumes, and opt-in monitoring")
    void shouldHaveAComposeStackThatComposeAccepts() throws Exception {
        Path compose = ROOT.resolve("docker-compose.yml");
        Map<String, Object> doc = yaml(compose).get(0);
        Map<String, Object> services = map(doc, "services");
        List<String> bellwethers = services.keySet().stream().filter(s -> s.startsWith("bellwether")).toList();
        assertTrue(bellwethers.size() >= 2, "two replicas: " + bellwethers);
        Set<String> known = knownEnvironment();
        Set<String> advertised = new HashSet<>();
        for (String name : bellwethers) {
            Map<String, Object> service = map(services, name);
            assertNotNull(service.get("healthcheck"), name + " has a health check");
            Map<String, Object> env = map(service, "environment");
            env.keySet().forEach(k -> assertTrue(!k.startsWith("BELLWETHER_") || known.contains(k), k + " is not a setting the service reads"));
            advertised.add((String) env.get("BELLWETHER_HTTP_ADVERTISED_HOST"));
            assertTrue(((List<String>) service.get("volumes")).get(0).endsWith(":/var/lib/bellwether"), "state on a named volume");
        }
        assertEquals(bellwethers.size(), advertised.size(), "each replica advertises its own address for interactive queries");
        assertTrue(((String) map(services, "kafka").get("image")).startsWith("apache/kafka:"));
        assertNotNull(map(services, "kafka").get("healthcheck"));
        assertNotNull(map(services, "registry").get("healthcheck"));
        assertEquals(List.of("monitoring"), map(services, "prometheus").get("profiles"));
        assertEquals(List.of("monitoring"), map(services, "grafana").get("profiles"));
        for (String monitoring : List.of("prometheus", "grafana")) {
            for (String volume : (List<String>) map(services, monitoring).get("volumes")) {
                if (volume.startsWith("./")) {
                    assertTrue(Files.exists(ROOT.resolve(volume.substring(2, volume.indexOf(':')))), "mounted file exists: " + volume);
                }
            }
        }
        Path dockerCompose = Path.of("/usr/bin/docker-compose");
        Assumptions.assumeTrue(Files.isExecutable(dockerCompose), "SKIPPED the 'docker-compose config' half: Debian's docker-compose is not "
                + "installed (.ci/run installs it and also runs it directly)");
        Process process = new ProcessBuilder(dockerCompose.toString(), "-f", compose.toString(), "config", "-q").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "docker-compose config rejected the file:\n" + out);
    }

    @Test
    @DisplayName("should chart only metrics the service really exports in the Grafana dashboard and scrape /metrics")
    void shouldChartRealMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/dashboards/bellwether.json").toFile());
        String sources = mainSources();
        Matcher metric = Pattern.compile("bellwether_[a-z_]+").matcher(dashboard.toString());
        int charted = 0;
        while (metric.find()) {
            String dotted = metric.group().replaceFirst("^bellwether_(\\w+?)_", "bellwether.$1.");
            String stripped = dotted.replaceAll("_(total|seconds)$", "");
            assertTrue(sources.contains("\"" + dotted + "\"") || sources.contains("\"" + stripped + "\""),
                    metric.group() + " is charted but nothing registers " + stripped);
            charted++;
        }
        assertTrue(charted >= 10, "the dashboard charts the service: " + charted);
        Map<String, Object> prometheus = yaml(ROOT.resolve("deploy/prometheus/prometheus.yml")).get(0);
        Map<String, Object> job = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
        assertEquals("/metrics", job.get("metrics_path"));
    }

    private static Set<String> knownEnvironment() {
        return ServiceConfig.defaults().keySet().stream().map(Settings::envName).collect(Collectors.toSet());
    }

    private static String mainSources() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(ROOT.resolve("modules"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")).toList()) {
                all.append(Files.readString(p));
            }
        }
        return all.toString();
    }

    private static List<Map<String, Object>> kubernetes() throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(p -> !p.endsWith("kustomization.yaml")).sorted().toList()) {
                docs.addAll(yaml(file));
            }
        }
        return docs;
    }

    private static Map<String, Object> kind(String kind) throws Exception {
        return kubernetes().stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow(() -> new AssertionError("no " + kind));
    }

    private static List<Map<String, Object>> yaml(Path file) throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "missing '" + key + "' in " + parent.keySet());
        return (Map<String, Object>) value;
    }
}
