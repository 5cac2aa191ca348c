package io.bellwether.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedStackTest {

    @Test
    @DisplayName("should keep topics, records and registered schemas across a restart of the whole stack, and leave no process behind")
    void shouldKeepTopicsAndSchemasAcrossRestart(@TempDir Path dataDir) throws Exception {
        String subject = "restart-check-value";
        String schema = "{\"type\":\"record\",\"name\":\"R\",\"doc\":\"d\",\"fields\":[{\"name\":\"x\",\"type\":\"int\",\"doc\":\"d\"}]}";
        int id;
        List<ProcessHandle> registryProcesses;
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.in(dataDir))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "v")).get();
            }
            String body = "{\"schema\":" + quote(schema) + "}";
            String answer = post(stack.registryUrl() + "/subjects/" + subject + "/versions", body);
            id = Integer.parseInt(answer.replaceAll("\\D+", ""));
            registryProcesses = stack.registry().processes();
            assertTrue(registryProcesses.stream().anyMatch(p -> p.info().command().orElse("").endsWith("java")),
                    "the registry runs in its own JVM under the watchdog: " + registryProcesses);
        }
        registryProcesses.forEach(p -> assertFalse(p.isAlive(), "process " + p.pid() + " should have stopped"));

        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.in(dataDir))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get();
                assertTrue(topics.contains("kept"), "topics after restart: " + topics);
            }
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-check");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("kept"));
                int seen = 0;
                long deadline = System.currentTimeMillis() + 20_000;
                while (seen == 0 && System.currentTimeMillis() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    seen += records.count();
                }
                assertEquals(1, seen);
            }
            String fetched = get(stack.registryUrl() + "/schemas/ids/" + id);
            assertTrue(fetched.contains("\\\"name\\\":\\\"R\\\""), "schema id " + id + " after restart: " + fetched);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String post(String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
