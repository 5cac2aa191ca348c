package io.bellwether.service.cli;

import io.bellwether.events.TicketEvent;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.replay.Progress;
import io.bellwether.service.InProcessTopology;
import io.bellwether.replay.KafkaReplaySink;
import io.bellwether.replay.Replayer;
import io.bellwether.service.BellwetherService;
import io.bellwether.service.ServiceConfig;
import io.bellwether.service.TopicSetup;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bellwether replay}: a historical export into the ticket-events topic as canonical events with their
 * original event times, for a running service (or a later {@code run}) to process. The whole export is read and
 * mapped before anything is produced, so an unreadable file or a bad mapping produces nothing.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a historical export (CSV or JSON Lines, plain or gzipped) into the ticket-events topic.")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    ExportOptions source;

    @Option(names = "--speed", defaultValue = "0", description = "Seconds of history per second; 0 (default) as fast as possible.")
    double speed;

    @Option(names = "--tick", defaultValue = "15m", description = "Event-time spacing of clock ticks (default ${DEFAULT-VALUE}).")
    String tick;

    @Option(names = "--surge-history", description = "First work out the export's surges in-process and publish them to the surges "
            + "topic, so surge inhibition is decided exactly as a backtest decides it, however fast the replay runs.")
    boolean surgeHistory;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = options.load(Map.of());
        ExportMapping exportMapping = source.mapping();
        int[] reported = {0};
        History history = HistoryLoader.load(source.export(), exportMapping, bad -> {
            if (reported[0]++ < 50) {
                System.err.println("skipped " + bad);
            }
        });
        History.Stats stats = history.stats();
        System.out.printf(Locale.ROOT, "Mapped %,d of %,d rows into %,d events of %,d tickets (%,d skipped by the mapping, %,d unusable).%n",
                stats.mapped(), stats.rows(), history.events().size(), stats.tickets(), stats.skipped(), stats.bad());
        Duration tickEvery = io.bellwether.common.config.DurationValues.parse(tick);
        try (BellwetherService.Runtime runtime = BellwetherService.Runtime.start(config, config.topics())) {
            Properties props = new Properties();
            props.putAll(runtime.platform().clientProperties());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            String topic = config.topics().ticketEvents();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                if (surgeHistory) {
                    publishSurgeHistory(producer, runtime, config, history, tickEvery);
                }
                Replayer.Result result = new Replayer(producer, runtime.serdes().ticketStream(), topic,
                        TopicSetup.partitions(runtime.admin(), topic))
                        .replay(history.events(), new Replayer.Options(speed, Duration.ZERO, tickEvery, null),
                                Progress.forConsole(System.out, "events", history.events().size())::update);
                System.out.printf(Locale.ROOT, "Produced %,d events and %,d clock ticks to %s at %s in %.1f s (%,.0f events/s).%n",
                        result.events(), result.watermarks(), topic, runtime.platform().bootstrapServers(), result.took().toMillis() / 1000.0,
                        result.events() / Math.max(0.001, result.took().toMillis() / 1000.0));
            }
        }
        return 0;
    }

    private static void publishSurgeHistory(KafkaProducer<String, byte[]> producer, BellwetherService.Runtime runtime, ServiceConfig config,
                                            History history, Duration tickEvery) {
        InProcessTopology.Result run = InProcessTopology.run(RulesLoader.load(config), history.events(), tickEvery);
        String topic = config.topics().surges();
        KafkaReplaySink.publishSurgeHistory(producer, runtime.serdes().value(io.bellwether.detect.state.SurgeNotice.class), topic,
                run.surgeHistory());
        System.out.printf(Locale.ROOT, "Published %,d surge notices to %s.%n", run.surgeHistory().size(), topic);
    }
}
