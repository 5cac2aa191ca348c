package io.bellwether.replay.recurring;

import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the recurring issues of a history are counted and ranked, on a small history of our own. */
class RecurringIssuesTest {
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private int sequence;

    private TicketEvent event(String ticket, String account, Instant at, String category, String department) {
        return TicketEvent.newBuilder().setEventId("e-" + (++sequence)).setSourceSystem("test").setSourceEventId("s-" + sequence)
                .setTicketId(ticket).setAccountId(account).setAccountName(account).setEventType(TicketEventType.UPDATED)
                .setStatusCategory(StatusCategory.OPEN).setPriorityLevel(Priority.P3).setEscalated(false).setActorType(ActorType.AGENT)
                .setCategory(category).setOccurredAt(at).setReceivedAt(at).setCreatedAt(null).setChanges(new ArrayList<>())
                .setAttributes(department == null ? Map.of() : Map.of("department", department)).build();
    }

    @Test
    @DisplayName("should count each ticket once, under its latest category, rank values by tickets, and tell a rising one")
    void shouldRankAndTrend() {
        List<TicketEvent> events = new ArrayList<>();
        // First half of the window: one printing ticket, one e-mail ticket (later re-categorised as printing).
        events.add(event("T-1", "acme", T0, "Printing", "Finance"));
        events.add(event("T-2", "globex", T0.plus(Duration.ofHours(1)), "Email", "Sales"));
        events.add(event("T-2", "globex", T0.plus(Duration.ofHours(2)), "Printing", "Sales"));
        // Second half: a wave of VPN tickets from two accounts.
        for (int i = 0; i < 5; i++) {
            events.add(event("V-" + i, i % 2 == 0 ? "acme" : "globex", T0.plus(Duration.ofDays(6)).plus(Duration.ofMinutes(i)), "VPN", "Finance"));
        }
        events.add(event("T-9", "acme", T0.plus(Duration.ofDays(10)), "Printing", null));

        List<RecurringIssues> issues = RecurringIssues.of(events, List.of("category", "department"), 10, 5);
        RecurringIssues all = issues.get(0);
        assertEquals("all", all.scope());
        assertEquals(8, all.tickets(), "eight tickets, each once");
        assertEquals(List.of(
                new RecurringIssues.Item("category", "VPN", 5, 2, 0, 5, "RISING"),
                new RecurringIssues.Item("category", "Printing", 3, 2, 2, 1, "STEADY")), all.of("category"),
                "T-2 counts as Printing, where it ended up; Email is gone");
        assertEquals(List.of(
                new RecurringIssues.Item("department", "Finance", 6, 2, 1, 5, "RISING"),
                new RecurringIssues.Item("department", "Sales", 1, 1, 1, 0, "STEADY")), all.of("department"),
                "a ticket without the attribute is not counted under it");
        assertEquals(List.of("all", "acme", "globex"), issues.stream().map(RecurringIssues::scope).toList(), "accounts by tickets, most first");
        assertEquals(List.of(new RecurringIssues.Item("category", "VPN", 3, 1, 0, 3, "RISING"),
                new RecurringIssues.Item("category", "Printing", 2, 1, 1, 1, "STEADY")), issues.get(1).of("category"));
    }
}
