package io.bellwether.replay;

import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mapping a new user gets right the first time: an export saved with a byte-order mark, a team that falls back from
 * one column to another, a column with its own word for "empty", and a check that shows what came out before anything
 * runs.
 */
class MappingCheckTest {
    private static Path resource(String name) throws Exception {
        return Path.of(MappingCheckTest.class.getResource("/exports/" + name).toURI());
    }

    private static History load() throws Exception {
        List<ExportReader.BadRow> bad = new ArrayList<>();
        History history = HistoryLoader.load(resource("bom-export.csv"), ExportMapping.load(resource("bom-export.yaml")), bad::add);
        assertEquals(List.of(), bad);
        return history;
    }

    private static TicketEvent event(History history, String ticket, int index) {
        return history.events().stream().filter(e -> e.getTicketId().equals(ticket)).toList().get(index);
    }

    @Test
    @DisplayName("should ignore a UTF-8 byte-order mark before the header, so the first column is found by its name")
    void shouldIgnoreTheByteOrderMark() throws Exception {
        History history = load();
        assertEquals(6, history.events().size());
        assertEquals("B-1", event(history, "B-1", 0).getTicketId());
    }

    @Test
    @DisplayName("should take the first non-empty column of a coalesce, and treat a column's own empty words as empty")
    void shouldCoalesceAndHonourColumnNulls() throws Exception {
        History history = load();
        assertEquals("Service Desk", event(history, "B-1", 0).getTeam(), "Involved ST 2 empty: Involved ST");
        assertEquals("Network", event(history, "B-1", 1).getTeam(), "Involved ST 2 set: it wins");
        assertNull(event(history, "B-1", 0).getAssignee(), "'unassigned' is empty in the Engineer column");
        assertEquals("raj", event(history, "B-1", 1).getAssignee());
        assertEquals(StatusCategory.OPEN, event(history, "B-2", 1).getStatusCategory(), "an unknown status word falls back");
        assertTrue(ExportMapping.load(resource("bom-export.yaml")).columns().containsAll(List.of("Involved ST 2", "Involved ST")),
                "both columns of the coalesce must exist in the export");
    }

    @Test
    @DisplayName("should print rows, mapped values, what fell through to a fallback, and what is missing, without starting anything")
    void shouldCheckTheMapping() throws Exception {
        String report = MappingCheck.report(resource("bom-export.csv"), ExportMapping.load(resource("bom-export.yaml")));
        assertTrue(report.contains("rows 6: mapped 6, skipped by skipWhen 0, unusable 0; 2 tickets"), report);
        assertTrue(report.contains("FELL THROUGH to statusFallback OPEN (add them to statusMap): 'Pending 3rd party' 1"), report);
        assertTrue(report.contains("teams: 2 distinct"), report);
        assertTrue(report.contains("assignees: 2 distinct, empty on 2 of 6 rows"), report);
        assertTrue(report.contains("missing createdAt: a ticket is opened at its first row's time"), report);
        assertTrue(report.contains("missing outcomes.slaBreachColumn: a backtest judges signals by reopens and escalations only"), report);
        assertTrue(report.contains("priorities (canonical <- raw):\n    UNKNOWN"), "no priority column: every ticket UNKNOWN\n" + report);
    }

    @Test
    @DisplayName("should refuse a misspelt mapping key, naming it and the known ones")
    void shouldRefuseUnknownKeys() {
        MappingException e = assertThrows(MappingException.class, () -> ExportMapping.parse("""
                source: x
                nullByColumn: {A: [x]}
                fields: {ticketId: A, occurredAt: B, status: C}
                """, "typo.yaml"));
        assertTrue(e.getMessage().contains("typo.yaml: nullByColumn is not a mapping setting (known: [source, format"), e.getMessage());
    }
}
