package io.bellwether.service;

import io.bellwether.embedded.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances started at the same moment on subjects the registry has never seen, as the shipped compose (two
 * replicas) and Kubernetes (three) setups start: both register the same schemas at once. Apicurio answers the second
 * 409 "already exists"; that must count as success, or real input gets dead-lettered.
 */
class ConcurrentStartIntegrationTest {

    @Test
    @DisplayName("should start two instances at the same moment on a fresh registry subject set and dead-letter nothing")
    void shouldStartTwoInstancesAtOnce() throws Exception {
        String app = SharedStack.unique("twin-app");
        String prefix = SharedStack.unique("twin") + ".";
        int portA = QueryInstances.freePort();
        int portB = QueryInstances.freePort();
        List<Map<String, String>> settings = List.of(
                QueryInstances.settings(app, prefix, Files.createTempDirectory("twin-a"), portA),
                QueryInstances.settings(app, prefix, Files.createTempDirectory("twin-b"), portB));
        ExecutorService starter = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BellwetherService>> started = new ArrayList<>();
        for (Map<String, String> s : settings) {
            started.add(starter.submit(() -> {
                go.await();
                return QueryInstances.start(s);
            }));
        }
        go.countDown();
        List<BellwetherService> services = new ArrayList<>();
        try {
            for (Future<BellwetherService> f : started) {
                services.add(f.get());
            }
            QueryInstances.awaitReady(portA, Duration.ofSeconds(120));
            QueryInstances.awaitReady(portB, Duration.ofSeconds(120));
            int events = QueryInstances.playSample(services.get(0), "twin");
            assertTrue(events > 50, "the sample week was played in: " + events);
            // Every sample event is processed once the accounts show up on both instances' merged answer.
            long deadline = System.currentTimeMillis() + 60_000;
            while (QueryInstances.get(portB, "/api/accounts").json().get("count").asInt() < 4 && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(4, QueryInstances.get(portB, "/api/accounts").json().get("count").asInt(), "the sample's four clients");
            assertEquals(List.of(), deadLetters(services.get(0).config().topics().deadLetter()), "nothing was dead-lettered");
        } finally {
            services.forEach(BellwetherService::close);
            starter.shutdownNow();
        }
    }

    private static List<String> deadLetters(String topic) {
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.get().bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, SharedStack.unique("twin-dlq"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    var reason = r.headers().lastHeader(io.bellwether.events.DeadLetters.REASON);
                    reasons.add(reason == null ? "?" : new String(reason.value(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return reasons;
    }
}
