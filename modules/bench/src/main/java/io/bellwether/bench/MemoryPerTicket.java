package io.bellwether.bench;

import io.bellwether.replay.SyntheticHistory;

import io.bellwether.detect.DetectConfig;
import io.bellwether.detect.StoreNames;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.detect.state.TicketState;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.AvroSerde;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * State per open ticket at scale: N tickets opened and still open, then the ticket store's serialized bytes per
 * ticket (what RocksDB and the changelog hold), the state directory on disk, and the heap growth per ticket.
 */
final class MemoryPerTicket {
    private MemoryPerTicket() {
    }

    static void run(Cluster cluster, int tickets, Report report) throws Exception {
        TopicNames topics = cluster.topics("memory");
        SyntheticHistory workload = new SyntheticHistory(3, 2000, "mem");
        long now = System.currentTimeMillis();
        List<TicketEvent> events = new ArrayList<>(tickets);
        for (int i = 0; i < tickets; i++) {
            events.add(workload.openTicket("M-" + i, now - 3_600_000L + i % 3_600_000));
        }
        cluster.load(topics.ticketEvents(), events, workload);
        events = null;
        long heapBefore = usedHeapAfterGc();
        try (Cluster.Running app = cluster.start("memory", topics, Cluster.live(topics), RulesParser.builtIn(), StreamsConfig.EXACTLY_ONCE_V2)) {
            cluster.awaitConsumed(app.applicationId(), topics.ticketEvents(), Duration.ofMinutes(20));
            long heapAfter = usedHeapAfterGc();
            ReadOnlyKeyValueStore<String, TicketState> store = app.streams().store(StoreQueryParameters.fromNameAndType(StoreNames.TICKET_STATE,
                    QueryableStoreTypes.keyValueStore()));
            AvroSerde<TicketState> serde = cluster.serdes().value(TicketState.class);
            long count = 0;
            long bytes = 0;
            try (KeyValueIterator<String, TicketState> it = store.all()) {
                while (it.hasNext()) {
                    var kv = it.next();
                    count++;
                    bytes += kv.key.length() + serde.serialize("bench", kv.value).length;
                }
            }
            report.note("memory", count + " open tickets in the ticket store");
            report.add("memory", "ticket state, serialized (key + value) per open ticket", bytes / (double) count, "bytes");
            report.add("memory", "heap growth per open ticket (GC'd, Streams caches included)", (heapAfter - heapBefore) / (double) count, "bytes");
            app.close();
            report.add("memory", "state directory on disk per open ticket (all stores, RocksDB)", directorySize(app.stateDir()) / (double) count, "bytes");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directorySize(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
