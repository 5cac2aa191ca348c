package io.bellwether.bench.jmh;

import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.detect.store.NoteBytesWriter;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.InMemorySchemaRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One commit's write-back of a busy account's state: 1,000 ticket notes, of which one is new since the last commit
 * (the oldest leaves the window, a new one joins), encoded by the standard writer and by the one that keeps each
 * note's bytes ({@link NoteBytesWriter}). Both write the same bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AggregateWriteBack {
    private static final String TOPIC = "bench-account-state-changelog";
    private AvroSerde<AccountState> standard;
    private AvroSerde<AccountState> reusingNotes;
    private AccountState state;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        standard = new AvroSerde<>(AccountState.class, new InMemorySchemaRegistry(), false, true);
        reusingNotes = standard.writingWith(NoteBytesWriter::new);
        List<TicketNote> opened = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            opened.add(note(i));
        }
        state = AccountState.newBuilder().setAccountId("acme").setAccountName("ACME Dental").setOpenTicketCount(1_000)
                .setRecentOpened(opened).build();
        next = 1_000;
    }

    private static TicketNote note(long n) {
        return TicketNote.newBuilder().setTicketKey("servicenow:INC" + (100_000 + n)).setAt(1_780_000_000_000L + n * 60_000)
                .setAccountId("acme").setCategory("Email").setConfigurationItem("exchange-online").setPriorityLevel("P3")
                .setWho("tech-" + (n % 12)).setWhat(null).build();
    }

    /** What happened to the state between two commits: one note left the window, one joined. */
    private AccountState changed() {
        state.getRecentOpened().remove(0);
        state.getRecentOpened().add(note(next++));
        return state;
    }

    @Benchmark
    public byte[] writeBackAccountStateStandard() {
        return standard.serialize(TOPIC, changed());
    }

    @Benchmark
    public byte[] writeBackAccountStateReusingNoteBytes() {
        return reusingNotes.serialize(TOPIC, changed());
    }
}
