package io.bellwether.bench;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.replay.ExportMapping;
import io.bellwether.replay.History;
import io.bellwether.replay.HistoryLoader;
import io.bellwether.replay.Replayer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;

/** The whole ServiceNow incident history in ../shared through the replay topology: load, produce, process. */
final class ServiceNowReplay {
    private ServiceNowReplay() {
    }

    static void run(Cluster cluster, Path export, Report report) throws Exception {
        long t0 = System.nanoTime();
        History history = HistoryLoader.load(export, ExportMapping.bundled("servicenow-incident"), bad -> { });
        long parsed = System.nanoTime();
        TopicNames topics = cluster.topics("servicenow");
        Replayer.Result produced;
        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            produced = new Replayer(producer, cluster.serdes().ticketStream(), topics.ticketEvents(), Cluster.PARTITIONS)
                    .replay(history.events(), Replayer.Options.asFastAsPossible(), n -> { });
        }
        long loaded = System.nanoTime();
        try (Cluster.Running app = cluster.start("servicenow", topics, DetectConfig.replay(topics), RulesParser.builtIn(), StreamsConfig.EXACTLY_ONCE_V2)) {
            long done = cluster.awaitConsumed(app.applicationId(), topics.ticketEvents(), Duration.ofMinutes(60));
            double processing = (done - app.startedNanos()) / 1e9;
            report.note("servicenow", history.events().size() + " events of " + history.stats().tickets() + " tickets (" + produced.watermarks()
                    + " watermark records), " + export.getFileName());
            report.add("servicenow", "read and map the export", (parsed - t0) / 1e9, "s");
            report.add("servicenow", "produce to Kafka", (loaded - parsed) / 1e9, "s");
            report.add("servicenow", "process through the topology (EOS)", processing, "s");
            report.add("servicenow", "processing rate", history.events().size() / processing, "events/s");
            report.add("servicenow", "total wall time", (done - t0) / 1e9, "s");
        }
    }
}
