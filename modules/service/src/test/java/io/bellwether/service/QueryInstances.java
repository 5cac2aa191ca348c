package io.bellwether.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bellwether.common.config.Settings;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.embedded.SharedStack;
import io.bellwether.events.TicketEvent;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.replay.Replayer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Service instances of one application on the shared real broker and registry, as operators run them: external
 * cluster, their own data directories, the query API on a port of their own. Plus the bundled sample week played in.
 */
final class QueryInstances {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private QueryInstances() {
    }

    static Map<String, String> settings(String applicationId, String topicPrefix, Path dataDir, int httpPort) {
        Map<String, String> flags = new HashMap<>();
        flags.put("kafka.bootstrap.servers", SharedStack.get().bootstrapServers());
        flags.put("registry.url", SharedStack.get().registryUrl());
        flags.put("data.dir", dataDir.toString());
        flags.put("application.id", applicationId);
        flags.put("topics.partitions", "4");
        flags.put("http.port", String.valueOf(httpPort));
        flags.put("ingest.enabled", "false");
        flags.put("time.driver", "event-time");
        for (String topic : new String[]{"ticket-events", "risk-signals", "ownership-gaps", "account-risk", "escalations", "control",
                "account-owners", "surges", "dead-letter", "ticket-alerts", "audit", "acks"}) {
            flags.put("topics." + topic, topicPrefix + topic);
        }
        return flags;
    }

    static BellwetherService start(Map<String, String> flags) throws Exception {
        ServiceConfig config = new ServiceConfig(Settings.load(ServiceConfig.defaults(), null, Map.of(), flags));
        return BellwetherService.start(config, demoRules(), config.detectConfig());
    }

    static Rules demoRules() throws Exception {
        try (InputStream in = QueryInstances.class.getResourceAsStream("/demo/demo-rules.yaml")) {
            return RulesParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo-rules.yaml");
        }
    }

    /** Plays the bundled sample week (moved into the recent past) as fast as possible; returns the number of events. */
    static int playSample(BellwetherService service, String source) throws Exception {
        Path sample = Files.createTempFile("sample", ".csv");
        try (InputStream in = QueryInstances.class.getResourceAsStream("/demo/sample-history.csv")) {
            Files.copy(in, sample, StandardCopyOption.REPLACE_EXISTING);
        }
        return play(service, source, sample, true);
    }

    /**
     * One ticket opened {@code ago} before now, unassigned and still new when it is looked at again a day before now (so
     * event time has moved past its thresholds): it stays on the Aging board, at risk.
     */
    static void playOpenTicket(BellwetherService service, String source, String ticketId, String priority, Duration ago) throws Exception {
        String category = "Email";
        Path csv = Files.createTempFile("open-ticket", ".csv");
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String opened = now.minus(ago).toString();
        String seen = now.minus(Duration.ofDays(1)).toString();
        String row = ",umbrella,Umbrella Health,%s," + opened + ",New," + priority + ",,Service Desk," + category + ",exchange-online,,customer,false,\n";
        Files.writeString(csv, "seq,ticket,account,account_name,time,created,status,priority,assignee,team,category,ci,vendor,actor,escalated,sla_met\n"
                + "0," + ticketId + row.formatted(opened) + "1," + ticketId + row.formatted(seen));
        play(service, source, csv, false);
    }

    /** One ticket opened at {@code at} in {@code category}, and nothing after: it moves no clock past {@code at}. */
    static void playTicketAt(BellwetherService service, String source, String ticketId, String priority, String category, Instant at)
            throws Exception {
        Path csv = Files.createTempFile("one-ticket", ".csv");
        String opened = at.toString();
        Files.writeString(csv, "seq,ticket,account,account_name,time,created,status,priority,assignee,team,category,ci,vendor,actor,escalated,sla_met\n"
                + "0," + ticketId + ",umbrella,Umbrella Health," + opened + "," + opened + ",New," + priority + ",,Service Desk," + category
                + ",exchange-online,,customer,false,\n");
        play(service, source, csv, false);
    }

    private static int play(BellwetherService service, String source, Path csv, boolean shiftToThisWeek) throws Exception {
        History history = HistoryLoader.load(csv, ExportMapping.bundled("bellwether-sample").withSource(source), bad -> {
            throw new AssertionError("sample row rejected: " + bad);
        });
        Instant last = history.events().get(history.events().size() - 1).getOccurredAt();
        Properties props = new Properties();
        props.putAll(service.platform().clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        String topic = service.config().topics().ticketEvents();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            new Replayer(producer, service.serdes().ticketStream(), topic, TopicSetup.partitions(service.admin(), topic))
                    .replay(history.events(), new Replayer.Options(0, shiftToThisWeek ? Replayer.wholeWeeksBefore(last, Instant.now()) : Duration.ZERO,
                            Duration.ofMinutes(15),
                            null), done -> { });
        }
        return history.events().size();
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    static Answer get(int port, String pathAndQuery) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (Exception e) {
            return new Answer(-1, e.toString(), null);
        }
    }

    /** Waits until the instance on {@code port} answers /ready with 200. */
    static void awaitReady(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get(port, "/ready").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("instance on " + port + " never ready: " + get(port, "/ready").body());
            }
            Thread.sleep(250);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static DetectConfig.TimeDriver eventTime() {
        return DetectConfig.TimeDriver.EVENT_TIME;
    }
}
