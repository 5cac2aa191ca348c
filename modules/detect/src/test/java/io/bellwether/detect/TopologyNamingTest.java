package io.bellwether.detect;

import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.EventSerdes;
import io.bellwether.serde.InMemorySchemaRegistry;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyNamingTest {
    private static String describe(TopicNames topics) {
        Topology topology = BellwetherTopology.build(DetectConfig.live(topics), RulesParser.builtIn(),
                new EventSerdes(new InMemorySchemaRegistry(), true), DetectMetrics.discard());
        return topology.describe().toString();
    }

    @Test
    @DisplayName("should give every processor, store and repartition topic a deliberate name")
    void shouldNameEveryStatefulPart() {
        String description = describe(TopicNames.defaults());
        for (String name : List.of("ticket-lifecycle", "account-risk", "technician-load", "surge-detection", "aggregate-alignment",
                "ticket-state", "account-state", "team-state", "surge-state", "aggregate-held",
                "control-silences", "account-owners-source", "account-owners-note", "surge-active", "aggregate-feed-repartition")) {
            assertTrue(description.contains(name), "missing " + name + " in\n" + description);
        }
        assertFalse(description.contains("KSTREAM-"), "generated stream node names:\n" + description);
        assertFalse(description.contains("KTABLE-"), "generated table node names:\n" + description);
    }

    @Test
    @DisplayName("should send each stage's outputs to its own typed sinks and feed routes, with no branch or unwrap step between")
    void shouldConnectEveryStageToItsOutputsDirectly() {
        Topology topology = BellwetherTopology.build(DetectConfig.live(TopicNames.defaults()), RulesParser.builtIn(),
                new EventSerdes(new InMemorySchemaRegistry(), true), DetectMetrics.discard());
        java.util.Map<String, java.util.Set<String>> successors = new java.util.HashMap<>();
        topology.describe().subtopologies().forEach(sub -> sub.nodes().forEach(node ->
                successors.put(node.name(), node.successors().stream().map(TopologyDescription.Node::name)
                        .collect(java.util.stream.Collectors.toSet()))));
        assertEquals(java.util.Set.of("ticket-signals-sink", "ticket-security-sink", "ticket-alerts-sink", "ticket-gaps-sink",
                "aggregate-feed-route"), successors.get("ticket-lifecycle"));
        assertEquals(java.util.Set.of("account-risk", "technician-load", "surge-detection"), successors.get("aggregate-alignment"));
        assertEquals(java.util.Set.of("account-signals-sink", "account-gaps-sink", "account-risk-sink", "account-escalations-sink"),
                successors.get("account-risk"));
        assertEquals(java.util.Set.of("team-signals-sink", "team-people-sink"), successors.get("technician-load"));
        assertEquals(java.util.Set.of("surge-signals-sink", "surge-security-sink", "surge-notices-sink"), successors.get("surge-detection"));
        successors.keySet().forEach(name -> assertFalse(name.contains("unwrap") || name.contains("split") || name.contains("branch"),
                "a routing step between a stage and its outputs: " + name));
    }

    /**
     * The whole graph, as Kafka's RepartitionTopicNamingTest pins it: any change to a processor, store, repartition or
     * topic shows up here and must be made on purpose (stores and repartitions are the upgrade contract). To accept a
     * deliberate change: {@code mvn -pl modules/detect test -Dtest=TopologyNamingTest -Dbellwether.golden.update=true}.
     */
    @Test
    @DisplayName("should describe exactly the golden topology")
    void shouldMatchTheGoldenDescription() throws Exception {
        String description = describe(TopicNames.defaults()).replace("\r\n", "\n");
        java.nio.file.Path golden = java.nio.file.Path.of("src/test/resources/topology/describe.txt");
        if (Boolean.getBoolean("bellwether.golden.update")) {
            java.nio.file.Files.createDirectories(golden.getParent());
            java.nio.file.Files.writeString(golden, description);
        }
        assertEquals(java.nio.file.Files.readString(golden), description,
                "the topology changed; if on purpose, regenerate " + golden + " (see this test's Javadoc)");
    }

    @Test
    @DisplayName("should take every topic name from configuration")
    void shouldUseConfiguredTopicNames() {
        String description = describe(TopicNames.withPrefix("acme-prod."));
        assertTrue(description.contains("acme-prod.ticket-events"));
        assertTrue(description.contains("acme-prod.risk-signals"));
        assertFalse(description.contains("bellwether."), "a topic name was not injected:\n" + description);
    }
}
