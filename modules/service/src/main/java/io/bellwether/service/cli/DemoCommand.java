package io.bellwether.service.cli;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.Rules;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.TicketEvent;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.replay.Replayer;
import io.bellwether.service.BellwetherService;
import io.bellwether.service.ServiceConfig;
import io.bellwether.service.SignalPrinter;
import io.bellwether.service.TopicSetup;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bellwether demo}: the service on the embedded default, with a bundled week of realistic MSP history
 * played into it as a time-lapse (two hours of history per second by default), printing every signal as it is
 * raised, updated and resolved. The week is moved by whole weeks into the most recent past, so weekdays and
 * business hours stay what they were; each run uses fresh ticket keys and its own application id.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the service on the embedded default and play a bundled week of MSP history into it, printing signals live.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--speed", defaultValue = "7200", description = "Seconds of history per second of demo (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--exit-after-replay", description = "Stop once the sample has been played and its signals printed (for scripts).")
    boolean exitAfterReplay;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = options.load(Map.of("data.dir", "./data/demo"));
        Rules rules = config.rulesFile() != null ? RulesParser.load(config.rulesFile()) : RulesParser.parse(resource("/demo/demo-rules.yaml"), "demo-rules.yaml");
        // History is replayed as history: only event time (events and clock ticks) moves the clock.
        DetectConfig detectConfig = config.detectConfig().withTimeDriver(DetectConfig.TimeDriver.EVENT_TIME);
        String topic = detectConfig.topics().ticketEvents();
        int run = DemoRuns.next(config.dataDir());
        // Each run processes only its own week, under its own application id, so runs never mix their clocks.
        String applicationId = config.applicationId() + "-demo-" + run;

        System.out.println("Starting Bellwether on the embedded broker and schema registry (data: " + config.dataDir().toAbsolutePath() + ") ...");
        BellwetherService service = BellwetherService.start(config, rules, detectConfig,
                new BellwetherService.Options(applicationId, (admin, group) -> ConsumerGroups.startAtEnd(admin, group, topic), true));
        SignalPrinter printer = new SignalPrinter(service.platform().clientProperties(), service.serdes().value(RiskSignal.class),
                java.util.List.of(detectConfig.topics().riskSignals(), detectConfig.topics().ticketAlerts(),
                        detectConfig.topics().securitySignals()), System.out);
        Thread printing = new Thread(printer, "signal-printer");
        Shutdown shutdown = new Shutdown(() -> {
            printer.close();
            service.close();
        });
        printing.start();
        service.awaitRunning(Duration.ofMinutes(2));
        if (service.runtime().query() != null) {
            System.out.println("Dashboard and API: http://" + config.settings().get("http.host") + ":" + service.runtime().query().port() + "/");
        }

        ExportMapping mapping = ExportMapping.bundled("bellwether-sample").withSource("demo" + run);
        Path sample = Files.createTempFile("bellwether-sample", ".csv");
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/sample-history.csv")) {
            Files.copy(in, sample, StandardCopyOption.REPLACE_EXISTING);
        }
        History history = HistoryLoader.load(sample, mapping, bad -> System.err.println("sample: " + bad));
        Files.deleteIfExists(sample);
        Instant last = history.events().get(history.events().size() - 1).getOccurredAt();
        Duration shift = Replayer.wholeWeeksBefore(last, Instant.now());
        System.out.printf("Kafka %s, registry %s.%nPlaying %d events of a sample week (tickets %s:*) at %.0fx, as the week of %s:%n%n",
                service.platform().bootstrapServers(), service.platform().registryUrl(), history.events().size(), mapping.source(),
                speed, history.events().get(0).getOccurredAt().plus(shift).toString().substring(0, 10));

        Properties producerProps = new Properties();
        producerProps.putAll(service.platform().clientProperties());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            Replayer replayer = new Replayer(producer, service.serdes().ticketStream(), topic,
                    TopicSetup.partitions(service.admin(), topic));
            replayer.replay(history.events(), new Replayer.Options(speed, shift, Duration.ofMinutes(15), null), done -> { });
        } catch (RuntimeException e) {
            if (shutdown.isStarted()) {
                shutdown.await();
                return 0;
            }
            throw e;
        }
        printer.awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(60));
        System.out.printf("%nSample week played: %d signals and ticket alerts raised, %d resolved. Bellwether keeps running; press Ctrl-C to stop.%n",
                printer.raised(), printer.resolved());
        if (exitAfterReplay) {
            printer.close();
            printing.join(5000);
            service.close();
            return 0;
        }
        shutdown.await();
        return 0;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Counts the demo's runs in a data directory. */
    private static final class DemoRuns {
        static int next(Path dataDir) throws IOException {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("demo-runs.properties");
            Properties props = new Properties();
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    props.load(in);
                }
            }
            int run = Integer.parseInt(props.getProperty("runs", "0")) + 1;
            props.setProperty("runs", String.valueOf(run));
            try (var out = Files.newOutputStream(file)) {
                props.store(out, "bellwether demo runs");
            }
            return run;
        }
    }
}
