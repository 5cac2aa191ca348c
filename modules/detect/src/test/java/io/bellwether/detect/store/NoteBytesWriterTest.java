package io.bellwether.detect.store;

import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.DayCount;
import io.bellwether.detect.state.SurgeState;
import io.bellwether.detect.state.TeamState;
import io.bellwether.detect.state.TicketNote;
import io.bellwether.detect.state.UrgentTicket;
import io.bellwether.serde.AvroSerde;
import io.bellwether.serde.EventSerdes;
import io.bellwether.serde.InMemorySchemaRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The aggregate states' writer reuses each ticket note's bytes; what it writes must be, byte for byte, what the standard
 * writer writes, at every commit of a state that keeps changing, and a note changed in place must be refused.
 */
class NoteBytesWriterTest {
    private static final String TOPIC = "bellwether-account-state-changelog";
    private final EventSerdes serdes = new EventSerdes(new InMemorySchemaRegistry(), true);
    private final Random random = new Random(7);

    /** One reusing serde per type for the whole test, as in the topology: its kept bytes carry from commit to commit. */
    private final Map<Class<?>, AvroSerde<?>> reusingSerdes = new java.util.HashMap<>();

    @SuppressWarnings("unchecked")
    private <S extends SpecificRecord> void assertSameBytes(Class<S> type, S state) {
        AvroSerde<S> standard = serdes.value(type);
        AvroSerde<S> reusing = (AvroSerde<S>) reusingSerdes.computeIfAbsent(type, t -> standard.writingWith(NoteBytesWriter::new));
        String topic = "bellwether-" + type.getSimpleName() + "-changelog";
        assertArrayEquals(standard.serialize(topic, state), reusing.serialize(topic, state), type.getSimpleName() + " bytes differ");
    }

    private TicketNote note(int n) {
        // Nulls, empty and non-ASCII text: every branch of a note's unions and string lengths.
        return TicketNote.newBuilder().setTicketKey("T-" + n).setAt(1_780_000_000_000L + n * 60_000L)
                .setAccountId(n % 7 == 0 ? null : "ACME-" + (n % 3)).setCategory(n % 5 == 0 ? "" : "Réseau/VPN " + (n % 4))
                .setConfigurationItem(n % 2 == 0 ? null : "ci-" + random.nextInt(50)).setPriorityLevel("P" + (1 + n % 4))
                .setWho(n % 3 == 0 ? null : "tech-" + (n % 11)).setWhat(n % 4 == 0 ? null : "escalated to Tier 2 – 東京").build();
    }

    private List<TicketNote> notes(int from, int count) {
        List<TicketNote> notes = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            notes.add(note(i));
        }
        return notes;
    }

    @Test
    @DisplayName("should write an account state byte for byte as the standard writer, commit after commit while its notes change")
    void shouldWriteAccountStatesAsTheStandardWriter() {
        AccountState state = AccountState.newBuilder().setAccountId("ACME").setAccountName("Acme Ltd")
                .setRecentOpened(notes(0, 1_500)).setRecentResolved(notes(10_000, 1_200)).setHandoffs(notes(20_000, 300))
                .setDays(List.of(DayCount.newBuilder().setDay(20_600).setResolved(4).setReopened(1).build())).build();
        assertSameBytes(AccountState.class, state);
        for (int commit = 1; commit <= 20; commit++) {
            // What a stage does between commits: new notes at the end, expired ones off the front, one replaced by a changed copy.
            state.getRecentOpened().addAll(notes(30_000 + commit * 50, 50));
            state.getRecentOpened().subList(0, 40).clear();
            state.getRecentResolved().set(commit, TicketNote.newBuilder(state.getRecentResolved().get(commit)).setWhat("resolved").build());
            state.setOpenTicketCount(commit);
            assertSameBytes(AccountState.class, state);
        }
    }

    @Test
    @DisplayName("should write team and surge states byte for byte as the standard writer, urgent tickets and notes included")
    void shouldWriteTeamAndSurgeStatesAsTheStandardWriter() {
        Map<String, UrgentTicket> urgent = new LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            urgent.put("T-" + i, UrgentTicket.newBuilder().setAssignee(i % 9 == 0 ? null : "tech-" + (i % 13))
                    .setAccountId("ACME-" + (i % 40)).setPriorityLevel("P" + (1 + i % 2)).setEscalated(i % 5 == 0).build());
        }
        TeamState team = TeamState.newBuilder().setTeam("Network").setUrgent(urgent).setEscalations(notes(0, 400)).build();
        SurgeState surge = SurgeState.newBuilder().setDimension("category:VPN").setHourBase(494_000L)
                .setHourly(new ArrayList<>(List.of(3, 0, 7))).setRecent(notes(5_000, 800)).build();
        for (int commit = 0; commit < 5; commit++) {
            assertSameBytes(TeamState.class, team);
            assertSameBytes(SurgeState.class, surge);
            team.getUrgent().remove("T-" + commit);
            team.getUrgent().put("N-" + commit, UrgentTicket.newBuilder().setPriorityLevel("P1").setEscalated(true).build());
            surge.getRecent().add(note(9_000 + commit));
        }
    }

    @Test
    @DisplayName("should still write the same bytes after the kept note bytes were cleared")
    void shouldWriteTheSameBytesAfterTheKeptBytesWereCleared() {
        AccountState state = AccountState.newBuilder().setAccountId("ACME").setRecentOpened(notes(0, NoteBytesWriter.KEPT / 2)).build();
        for (int round = 0; round < 5; round++) {
            // Each round brings half the kept limit in new notes: the kept bytes fill and are cleared twice.
            state.getRecentOpened().addAll(notes(1_000_000 * (round + 1), NoteBytesWriter.KEPT / 2));
            state.getRecentOpened().subList(0, NoteBytesWriter.KEPT / 2).clear();
            assertSameBytes(AccountState.class, state);
        }
        assertEquals(NoteBytesWriter.KEPT / 2, state.getRecentOpened().size());
    }

    @Test
    @DisplayName("should encode each note once, however many commits write it, and a replaced note once more")
    void shouldEncodeEachNoteOnce() {
        java.util.concurrent.atomic.AtomicReference<NoteBytesWriter<AccountState>> writer = new java.util.concurrent.atomic.AtomicReference<>();
        AvroSerde<AccountState> reusing = serdes.value(AccountState.class).writingWith((schema, model) -> {
            writer.set(new NoteBytesWriter<>(schema, model));
            return writer.get();
        });
        AccountState state = AccountState.newBuilder().setAccountId("ACME").setRecentOpened(notes(0, 2_000)).setHandoffs(notes(5_000, 1_000)).build();
        reusing.serialize(TOPIC, state);
        reusing.serialize(TOPIC, state);
        assertEquals(3_000, writer.get().keptOnThisThread());

        state.getHandoffs().set(0, TicketNote.newBuilder(state.getHandoffs().get(0)).setWhat("reassigned").build());
        reusing.serialize(TOPIC, state);
        assertEquals(3_001, writer.get().keptOnThisThread(), "the changed copy is a note of its own");
    }

    @Test
    @DisplayName("should refuse to write a note that was changed in place after it was written")
    void shouldRefuseANoteChangedInPlace() {
        assumeTrue(Boolean.getBoolean("bellwether.verify-note-bytes"), "the build runs the tests with -Dbellwether.verify-note-bytes=true");
        AvroSerde<AccountState> reusing = serdes.value(AccountState.class).writingWith(NoteBytesWriter::new);
        AccountState state = AccountState.newBuilder().setAccountId("ACME").setRecentOpened(notes(0, 10)).build();
        reusing.serialize(TOPIC, state);
        state.getRecentOpened().get(3).setWhat("changed in place");
        SerializationException refused = assertThrows(SerializationException.class, () -> reusing.serialize(TOPIC, state));
        assertTrue(refused.getMessage().contains("changed after it was written"), refused.getMessage());
    }
}
