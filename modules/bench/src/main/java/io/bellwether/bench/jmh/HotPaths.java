package io.bellwether.bench.jmh;

import io.bellwether.detect.rules.RulesParser;
import io.bellwether.detect.state.TicketState;
import io.bellwether.detect.ticket.TicketUpdater;
import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
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

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The per-event hot paths: the wire-format serde, business-time arithmetic, and one detector update. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPaths {
    private AvroSerde<TicketEvent> serde;
    private TicketEvent event;
    private byte[] bytes;
    private BusinessCalendar calendar;
    private long from;
    private long to;
    private TicketUpdater updater;
    private TicketState state;
    private TicketEvent update;
    private long at;

    @Setup(Level.Trial)
    public void setUp() {
        serde = new AvroSerde<>(TicketEvent.class, new InMemorySchemaRegistry(), false, true);
        long t = Instant.parse("2026-03-27T09:00:00Z").toEpochMilli(); // the week UK clocks go forward
        event = event(TicketEventType.CREATED, StatusCategory.NEW, null, t);
        bytes = serde.serialize("bench", event);
        Map<DayOfWeek, List<BusinessCalendar.Hours>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            week.put(d, List.of(new BusinessCalendar.Hours(LocalTime.of(8, 0), LocalTime.of(12, 30)),
                    new BusinessCalendar.Hours(LocalTime.of(13, 30), LocalTime.of(18, 0))));
        }
        calendar = new BusinessCalendar("london", ZoneId.of("Europe/London"), week, Set.of(LocalDate.of(2026, 4, 3), LocalDate.of(2026, 4, 6)));
        from = t;
        to = t + 12L * 24 * 3_600_000; // twelve days over a DST change and two holidays
        updater = new TicketUpdater(RulesParser.builtIn());
        state = updater.apply(null, "bench:T-1", event, t).state();
        update = event(TicketEventType.ASSIGNED, StatusCategory.IN_PROGRESS, "tech-1", t + 600_000);
        at = t + 600_000;
    }

    @Benchmark
    public byte[] serializeTicketEvent() {
        return serde.serialize("bench", event);
    }

    @Benchmark
    public TicketEvent deserializeTicketEvent() {
        return serde.deserialize("bench", bytes);
    }

    @Benchmark
    public long businessTimeBetween() {
        return calendar.between(from, to);
    }

    @Benchmark
    public long businessTimePlus() {
        return calendar.plus(from, 30L * 3_600_000);
    }

    @Benchmark
    public TicketState detectorUpdate() {
        return updater.apply(TicketState.newBuilder(state).build(), "bench:T-1", update, at).state();
    }

    private static TicketEvent event(TicketEventType type, StatusCategory status, String assignee, long at) {
        return TicketEvent.newBuilder().setEventId("bench:" + at).setSourceSystem("bench").setSourceEventId(String.valueOf(at)).setTicketId("T-1")
                .setAccountId("acme").setAccountName("ACME Dental").setEventType(type).setStatus(status.name()).setStatusCategory(status)
                .setPriority("P2").setPriorityLevel(Priority.P2).setAssignee(assignee).setTeam("Service Desk").setCategory("Email")
                .setConfigurationItem("exchange-online").setVendor(null).setEscalated(false).setActor(assignee).setActorType(ActorType.AGENT)
                .setOccurredAt(Instant.ofEpochMilli(at)).setReceivedAt(Instant.ofEpochMilli(at)).setCreatedAt(Instant.ofEpochMilli(at))
                .setChanges(List.of()).setAttributes(Map.of()).build();
    }
}
