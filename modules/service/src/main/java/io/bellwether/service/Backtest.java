package io.bellwether.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.DetectMetrics;
import io.bellwether.detect.rules.Rules;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.SubjectType;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;
import io.bellwether.events.TopicNames;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.replay.Progress;
import io.bellwether.replay.Replayer;
import io.bellwether.replay.backtest.BacktestReport;
import io.bellwether.replay.backtest.BacktestScorer;
import io.bellwether.replay.backtest.HtmlReport;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Replays an export through the detection topology, under a fresh application id and topics of its own so it never
 * mixes with live state, once per rules file, and scores the signals against the export's outcomes.
 *
 * <p>When surges may inhibit, each rules file runs twice: a first pass builds the surge history, the second replays
 * with it known, so inhibition is decided as live processing would have decided it, however fast the replay runs.
 */
public final class Backtest {
    static int COMMIT_INTERVAL_MS = Integer.getInteger("bellwether.backtest.commit-ms", 1000);

    /** One rules file to score, with the label the report uses. */
    public record RulesChoice(String label, Rules rules) {
    }

    public record Options(Path export, ExportMapping mapping, List<RulesChoice> rules, Path outDir, Duration lookAhead,
                          boolean keepTopics) {
    }

    private final BellwetherService.Runtime runtime;
    private final PrintStream out;

    public Backtest(BellwetherService.Runtime runtime, PrintStream out) {
        this.runtime = runtime;
        this.out = out;
    }

    public BacktestReport run(Options options) throws Exception {
        long started = System.nanoTime();
        return run(options, load(options, out), started);
    }

    /**
     * Reads and maps the export, printing unusable rows (file, line, reason). Done before anything starts: an
     * unreadable file or a mapping error stops here, with nothing produced.
     */
    public static History load(Options options, PrintStream out) {
        int[] shown = {0};
        History history = HistoryLoader.load(options.export(), options.mapping(), bad -> {
            if (shown[0]++ < 20) {
                out.println("  skipped " + bad);
            }
        });
        History.Stats stats = history.stats();
        if (stats.bad() > 20) {
            out.printf("  ... %d rows skipped in all%n", stats.bad());
        }
        if (history.events().isEmpty()) {
            throw new io.bellwether.replay.MappingException("The export " + options.export() + " gave no events with mapping "
                    + options.mapping().name() + " (" + stats.bad() + " rows could not be used)");
        }
        Instant from = history.events().get(0).getOccurredAt();
        Instant to = history.events().get(history.events().size() - 1).getOccurredAt();
        out.printf(Locale.ROOT, "Loaded %,d events of %,d tickets (%s .. %s) from %s; %,d rows skipped by the mapping, %,d unusable, "
                        + "%,d out-of-order times clamped.%n", history.events().size(), stats.tickets(), from, to, options.export().getFileName(),
                stats.skipped(), stats.bad(), stats.clampedTimes());
        return history;
    }

    /** Replays a loaded history under each rules file, scores it, writes the reports. */
    public BacktestReport run(Options options, History history, long started) throws Exception {
        History.Stats stats = history.stats();
        Instant from = history.events().get(0).getOccurredAt();
        Instant to = history.events().get(history.events().size() - 1).getOccurredAt();

        String runId = "backtest-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        List<BacktestReport.Run> runs = new ArrayList<>();
        List<RiskSignal> firstSignals = null;
        for (int i = 0; i < options.rules().size(); i++) {
            RulesChoice choice = options.rules().get(i);
            String id = runId + "-" + (i + 1);
            out.printf("Rules '%s': replaying through the topology (application %s) ...%n", choice.label(), id);
            List<RiskSignal> signals = replayAndCollect(id, choice.rules(), history.events(), options.keepTopics());
            runs.add(new BacktestScorer(options.lookAhead()).score(choice.label(), signals, history.outcomes(), from, to));
            if (firstSignals == null) {
                firstSignals = signals;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        BacktestReport report = new BacktestReport(options.export().getFileName().toString(), options.mapping().name(),
                history.events().size(), stats.bad(), stats.tickets(), from.toString(), to.toString(), seconds, runs,
                List.of(timeline(history, firstSignals)));
        write(report, options.outDir());
        return report;
    }

    private List<RiskSignal> replayAndCollect(String id, Rules rules, List<TicketEvent> events, boolean keepTopics) throws Exception {
        TopicNames topics = TopicNames.withPrefix(id + ".");
        boolean twoPasses = rules.surge().enabled() && !rules.surge().inhibits().isEmpty();
        List<String> created = new ArrayList<>();
        try {
            if (twoPasses) {
                TopicNames first = new TopicNames(id + "-p1.ticket-events", id + "-p1.risk-signals", id + "-p1.ownership-gaps",
                        id + "-p1.account-risk", id + "-p1.escalations", topics.control(), topics.accountOwners(), topics.surges(),
                        id + "-p1.dead-letter");
                out.println("  pass 1 of 2: surge history");
                pass(id + "-p1", first, rules, events, created);
                out.println("  pass 2 of 2: signals, with the surge history known");
            }
            return pass(id, topics, rules, events, created);
        } finally {
            if (!keepTopics) {
                cleanUp(created);
            }
        }
    }

    private List<RiskSignal> pass(String applicationId, TopicNames topics, Rules rules, List<TicketEvent> events, List<String> created)
            throws Exception {
        Admin admin = runtime.admin();
        TopicSetup.createTopics(admin, topics, runtime.config().partitions(), runtime.config().replicationFactor(),
                Map.of(org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG, "-1"));
        TopicNames.asMap(topics).values().forEach(t -> {
            if (!created.contains(t)) {
                created.add(t);
            }
        });
        created.add(applicationId + "-");
        EventSerdes serdes = runtime.serdes();
        TopicSetup.registerSchemas(serdes, topics, null);
        DetectConfig config = DetectConfig.replay(topics).withAggregateGrace(Duration.ZERO);
        Path state = Files.createTempDirectory("bellwether-" + applicationId);
        // Throughput over latency: one transaction per second instead of ten.
        Map<String, Object> overrides = Map.of(org.apache.kafka.streams.StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        try (DetectionApp app = DetectionApp.start(applicationId, runtime.platform().clientProperties(), state, runtime.config().settings()
                .integer("streams.threads"), config, rules, serdes, DetectMetrics.discard(), overrides)) {
            Properties producerProps = new Properties();
            producerProps.putAll(runtime.platform().clientProperties());
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            long replayStarted = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
                Progress progress = Progress.forConsole(out, "events", events.size());
                new Replayer(producer, serdes.value(TicketEvent.class), topics.ticketEvents(), TopicSetup.partitions(admin, topics.ticketEvents()))
                        .replay(events, new Replayer.Options(0, Duration.ZERO, Duration.ofHours(1), null), progress::update);
            }
            Drain.await(admin, applicationId, topics.ticketEvents(), List.of(topics.riskSignals(), topics.surges()), Duration.ofMinutes(30));
            if (Boolean.getBoolean("bellwether.backtest.metrics")) {
                app.streams().metrics().forEach((name, metric) -> {
                    if (name.group().equals("stream-thread-metrics") && (name.name().endsWith("-ratio") || name.name().endsWith("-rate")
                            || name.name().endsWith("-avg"))) {
                        out.println("    " + name.name() + " = " + metric.metricValue());
                    }
                });
            }
            out.printf(Locale.ROOT, "  processed in %.1f s%n", (System.nanoTime() - replayStarted) / 1e9);
            return readAll(topics.riskSignals(), serdes);
        } finally {
            deleteQuietly(state);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // A leftover temp folder is harmless.
        }
    }

    private List<RiskSignal> readAll(String topic, EventSerdes serdes) {
        Map<String, Object> props = new HashMap<>(runtime.platform().clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<RiskSignal> signals = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    signals.add(serdes.value(RiskSignal.class).deserialize(topic, record.value()));
                }
            }
        }
        return signals;
    }

    private void cleanUp(List<String> topicsAndPrefixes) {
        try {
            Admin admin = runtime.admin();
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Set<String> doomed = new TreeSet<>();
            for (String name : topicsAndPrefixes) {
                if (name.endsWith("-")) {
                    existing.stream().filter(t -> t.startsWith(name)).forEach(doomed::add);
                } else if (existing.contains(name)) {
                    doomed.add(name);
                }
            }
            admin.deleteTopics(doomed).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.println("  (could not delete the backtest's topics: " + e.getMessage() + ")");
        }
    }

    /** The account with the most signals: its tickets' lives and every signal about it, for the report's timeline. */
    private static BacktestReport.Timeline timeline(History history, List<RiskSignal> signals) {
        Map<String, Long> perAccount = signals.stream().filter(s -> s.getAccountId() != null)
                .collect(Collectors.groupingBy(RiskSignal::getAccountId, Collectors.counting()));
        String account = perAccount.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(null);
        List<BacktestReport.Mark> marks = new ArrayList<>();
        if (account == null) {
            return new BacktestReport.Timeline("(none)", marks);
        }
        // At most 25 tickets, so the plot stays readable: the account's first ones.
        Set<String> lanes = new java.util.LinkedHashSet<>();
        for (TicketEvent e : history.events()) {
            String key = TicketKeys.ticketKey(e);
            if (!account.equals(e.getAccountId()) || (!lanes.contains(key) && lanes.size() >= 25)) {
                continue;
            }
            lanes.add(key);
            if (e.getEventType() != TicketEventType.UPDATED) {
                marks.add(new BacktestReport.Mark(e.getOccurredAt().toString(), e.getTicketId(), e.getEventType().name(), null));
            }
        }
        signals.stream().filter(s -> account.equals(s.getAccountId()) && s.getState() == io.bellwether.events.SignalState.RAISED)
                .sorted(Comparator.comparing(RiskSignal::getOccurredAt))
                .forEach(s -> {
                    boolean ticket = s.getSubject().getType() == SubjectType.TICKET;
                    String id = s.getSubject().getId();
                    String lane = ticket ? id.substring(id.indexOf(':') + 1) : "(account)";
                    if (!ticket || lanes.contains(id)) {
                        marks.add(new BacktestReport.Mark(s.getOccurredAt().toString(), lane, s.getKind() + ": " + s.getReason(), s.getKind().name()));
                    }
                });
        return new BacktestReport.Timeline(account, marks);
    }

    private void write(BacktestReport report, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(outDir.resolve("backtest.json"), json.writeValueAsString(report), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("backtest.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
        out.println();
        out.println(markdown(report));
        out.printf(Locale.ROOT, "Took %.1f s. Report: %s and %s%n", report.seconds(), outDir.resolve("backtest.html"), outDir.resolve("backtest.json"));
    }

    /** The headline table per rules file, in Markdown. */
    public static String markdown(BacktestReport report) {
        StringBuilder m = new StringBuilder();
        for (BacktestReport.Run run : report.runs()) {
            m.append(String.format(Locale.ROOT, "Rules %s: %,d signals; %,d of %,d tickets went bad; %,d missed their SLA, %,d (%s) signalled before they ended.%n%n",
                    run.rules(), run.signalsRaised(), run.ticketsWentBad(), run.tickets(), run.slaMissed(), run.slaMissedSignalledBeforeEnd(),
                    pct(run.slaMissed() == 0 ? null : (double) run.slaMissedSignalledBeforeEnd() / run.slaMissed())));
            m.append("| signal kind | raised | tickets | precision | recall | lead p10 | median lead | lead p90 | alerts/day |\n");
            m.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            List<BacktestReport.KindScore> rows = new ArrayList<>(run.kinds().values());
            rows.add(run.overall());
            for (BacktestReport.KindScore k : rows) {
                m.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s | %s | %.1f |%n", k.kind(), k.raised(), k.tickets(),
                        pct(k.precision()), pct(k.recall()), minutes(k.leadP10Minutes()), minutes(k.leadP50Minutes()),
                        minutes(k.leadP90Minutes()), k.alertsPerDay()));
            }
            m.append('\n');
        }
        return m.toString();
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private static String minutes(Long minutes) {
        if (minutes == null) {
            return "–";
        }
        return minutes < 120 ? minutes + "m" : minutes < 72 * 60 ? String.format(Locale.ROOT, "%.1fh", minutes / 60.0)
                : String.format(Locale.ROOT, "%.1fd", minutes / 1440.0);
    }
}
