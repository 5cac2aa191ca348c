package io.bellwether.ingest;

import io.bellwether.events.ActorType;
import io.bellwether.events.FieldChange;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;
import io.bellwether.common.json.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each vendor's payload becomes. Fixture provenance: src/test/resources/webhooks/README.md. */
class AdapterSpec {
    private final IngestConfig config = Fixtures.config(Map.of());

    private List<TicketEvent> read(String source, String fixture) throws Exception {
        Delivery delivery = Fixtures.delivery(source, fixture);
        return config.sources().get(source).adapter().toEvents(Json.MAPPER.readTree(delivery.body()), delivery);
    }

    private TicketEvent one(String source, String fixture) throws Exception {
        List<TicketEvent> events = read(source, fixture);
        assertEquals(1, events.size());
        return events.get(0);
    }

    private static List<String> changes(TicketEvent e) {
        return e.getChanges().stream().map(c -> c.getField() + ":" + c.getFrom() + "->" + c.getTo()).toList();
    }

    @Nested
    @DisplayName("Jira (real captures from a Jira Server instance)")
    class Jira {
        @Test
        @DisplayName("should read an issue_created capture as a CREATED event of the project, keyed by issue key, at the webhook timestamp")
        void shouldReadCreated() throws Exception {
            TicketEvent e = one("jira", "jira/issue_created.json");
            assertEquals("TEST-4", e.getTicketId());
            assertEquals("jira", e.getSourceSystem());
            assertEquals(TicketEventType.CREATED, e.getEventType());
            assertEquals("TEST", e.getAccountId(), "no JSM organization: the project stands for the account");
            assertEquals("To Do", e.getStatus());
            assertEquals(StatusCategory.NEW, e.getStatusCategory());
            assertEquals(Priority.P3, e.getPriorityLevel(), "Medium");
            assertNull(e.getAssignee());
            assertEquals("Task", e.getCategory());
            assertEquals(Instant.ofEpochMilli(1450635909598L), e.getOccurredAt());
            assertEquals(Instant.parse("2015-12-20T18:25:09.582Z"), e.getCreatedAt());
            assertEquals(TicketKeys.eventId("jira", e.getSourceEventId()), e.getEventId());
        }

        @Test
        @DisplayName("should carry the changelog as field changes and classify a priority change with a resolution set")
        void shouldReadFieldsUpdated() throws Exception {
            TicketEvent e = one("jira", "jira/issue_updated_fields_updated.json");
            assertEquals("TEST-11", e.getTicketId());
            assertEquals(Priority.P1, e.getPriorityLevel(), "Blocker");
            assertEquals("admin", e.getAssignee());
            assertTrue(changes(e).contains("priority:Major->Blocker"), changes(e).toString());
            assertEquals(TicketEventType.PRIORITY_CHANGED, e.getEventType());
            assertEquals(ActorType.CUSTOMER, e.getActorType(), "admin reported TEST-11 and made this change: the reporter's own edit");
        }

        @Test
        @DisplayName("should read a move to Done as RESOLVED, with the status change explicit")
        void shouldReadStatusUpdated() throws Exception {
            TicketEvent e = one("jira", "jira/issue_updated_status_updated.json");
            assertEquals(StatusCategory.RESOLVED, e.getStatusCategory());
            assertEquals(TicketEventType.RESOLVED, e.getEventType());
            assertTrue(changes(e).contains("status:To Do->Done"), changes(e).toString());
            assertEquals(Instant.ofEpochMilli(1452812797049L), e.getOccurredAt());
        }

        @Test
        @DisplayName("should give two deliveries of the same change the same event id, and different changes different ids")
        void shouldDeriveStableEventIds() throws Exception {
            assertEquals(one("jira", "jira/issue_updated_status_updated.json").getEventId(),
                    one("jira", "jira/issue_updated_status_updated.json").getEventId());
            assertFalse(one("jira", "jira/issue_updated_status_updated.json").getEventId()
                    .equals(one("jira", "jira/issue_updated_fields_updated.json").getEventId()));
        }
    }

    @Nested
    @DisplayName("Zendesk (Developer Docs, ticket events)")
    class Zendesk {
        @Test
        @DisplayName("should read ticket.status_changed with the organization as account, the group as team, and previous status")
        void shouldReadStatusChanged() throws Exception {
            TicketEvent e = one("zendesk", "zendesk/ticket-status-changed.json");
            assertEquals("5158", e.getTicketId());
            assertEquals("8447346622462", e.getAccountId());
            assertEquals("8447320466430", e.getTeam());
            assertEquals("8447388090494", e.getAssignee());
            assertEquals(StatusCategory.RESOLVED, e.getStatusCategory());
            assertEquals(TicketEventType.RESOLVED, e.getEventType());
            assertEquals(Priority.P2, e.getPriorityLevel());
            assertEquals(List.of("status:OPEN->SOLVED"), changes(e));
            assertEquals(ActorType.AGENT, e.getActorType(), "the actor is not the requester");
            assertEquals("cbe4028c-7239-495d-b020-f22348516046", e.getSourceEventId());
            assertEquals(Instant.parse("2026-11-16T14:40:12.672Z"), e.getOccurredAt(), "event time, to the millisecond");
        }

        @Test
        @DisplayName("should read ticket.created by the requester as a customer's CREATED event")
        void shouldReadCreated() throws Exception {
            TicketEvent e = one("zendesk", "zendesk/ticket-created.json");
            assertEquals(TicketEventType.CREATED, e.getEventType());
            assertEquals(StatusCategory.NEW, e.getStatusCategory());
            assertEquals(ActorType.CUSTOMER, e.getActorType());
            assertNull(e.getAssignee());
        }

        @Test
        @DisplayName("should refuse a user event as an unknown event type")
        void shouldRefuseUserEvents() {
            Rejection r = assertThrows(Rejection.class, () -> read("zendesk", "zendesk/user-created.json"));
            assertEquals(Rejection.UNKNOWN_EVENT_TYPE, r.code());
            assertEquals(422, r.status());
        }
    }

    @Test
    @DisplayName("ConnectWise: should unwrap the Entity string; company identifier is the account, team the team, owner the assignee")
    void shouldReadConnectWise() throws Exception {
        TicketEvent e = one("connectwise", "connectwise/ticket-updated.json");
        assertEquals("218734", e.getTicketId());
        assertEquals("ACMEDENT", e.getAccountId());
        assertEquals("ACME Dental", e.getAccountName());
        assertEquals(StatusCategory.WAITING_ON_CUSTOMER, e.getStatusCategory(), "'Waiting Customer' read by its words");
        assertEquals(Priority.P2, e.getPriorityLevel(), "Priority 2 - High");
        assertEquals("jsmith", e.getAssignee());
        assertEquals("Network Ops", e.getTeam());
        assertEquals("Server", e.getCategory());
        assertEquals("DC01", e.getConfigurationItem());
        assertEquals(Instant.parse("2026-11-16T15:02:11Z"), e.getOccurredAt());
        assertEquals(ActorType.AGENT, e.getActorType());
        assertEquals("b5f1c7a4-3c1e-4a1f-9a53-6c0c8f0f2e77", e.getSourceEventId());
    }

    @Test
    @DisplayName("Autotask: should map picklist numbers by Autotask's defaults (4 = Critical, 8 = In Progress)")
    void shouldReadAutotask() throws Exception {
        TicketEvent e = one("autotask", "autotask/ticket-update.json");
        assertEquals("7812", e.getTicketId());
        assertEquals("174", e.getAccountId());
        assertEquals(StatusCategory.IN_PROGRESS, e.getStatusCategory());
        assertEquals(Priority.P1, e.getPriorityLevel());
        assertEquals("29682885", e.getAssignee());
        assertEquals("29683354", e.getTeam());
        assertEquals("T20261116.0042", e.getAttributes().get("ticketNumber"));
        assertEquals(Instant.parse("2026-11-16T13:05:44.360Z"), e.getOccurredAt());
    }

    @Test
    @DisplayName("Autotask: should refuse an update without the always-display fields rather than read it as unassigned")
    void shouldRefusePartialAutotask() {
        Rejection r = assertThrows(Rejection.class, () -> read("autotask", "autotask/ticket-update-without-always-display.json"));
        assertEquals(Rejection.MISSING_FIELD, r.code());
        assertTrue(r.reason().contains("AssignedResourceID"), r.reason());
    }

    @Test
    @DisplayName("HaloPSA: should read the ticket under 'ticket', the client as account, times without zone as UTC")
    void shouldReadHalo() throws Exception {
        TicketEvent e = one("halopsa", "halopsa/ticket-updated.json");
        assertEquals("10432", e.getTicketId());
        assertEquals("12", e.getAccountId());
        assertEquals("Globex Logistics", e.getAccountName());
        assertEquals(StatusCategory.WAITING_ON_CUSTOMER, e.getStatusCategory());
        assertEquals(Priority.P3, e.getPriorityLevel());
        assertEquals("sam", e.getAssignee());
        assertEquals("1st Line", e.getTeam());
        assertEquals(Instant.parse("2026-11-16T11:47:30Z"), e.getOccurredAt());
        assertEquals(ActorType.AGENT, e.getActorType());
    }

    @Test
    @DisplayName("ServiceNow: should read display values, the hold reason as waiting on customer, and previous values as changes")
    void shouldReadServiceNow() throws Exception {
        TicketEvent e = one("servicenow", "servicenow/incident.json");
        assertEquals("INC0010042", e.getTicketId());
        assertEquals("31bea3d53790200044e0bfc8bcbe5dec", e.getAccountId());
        assertEquals("ACME North America", e.getAccountName());
        assertEquals(StatusCategory.WAITING_ON_CUSTOMER, e.getStatusCategory());
        assertEquals(TicketEventType.STATUS_CHANGED, e.getEventType());
        assertEquals(Priority.P2, e.getPriorityLevel());
        assertEquals("Beth Anglin", e.getAssignee());
        assertEquals("Service Desk", e.getTeam());
        assertEquals("FW-EDGE-01", e.getConfigurationItem());
        assertEquals("9d385017c611228701d22104cc95c371/4", e.getSourceEventId());
        assertEquals(Instant.parse("2026-11-16T10:31:05Z"), e.getOccurredAt());
        assertEquals(List.of("status:2->On Hold"), changes(e).stream().filter(c -> c.startsWith("status")).toList());
        assertFalse(e.getEscalated());
    }

    @Test
    @DisplayName("Freshservice: should map status 3 (Pending) to waiting on customer and priority 2 (Medium) to P3")
    void shouldReadFreshservice() throws Exception {
        TicketEvent e = one("freshservice", "freshservice/ticket-updated.json");
        assertEquals("8812", e.getTicketId());
        assertEquals("17000011223", e.getAccountId());
        assertEquals(StatusCategory.WAITING_ON_CUSTOMER, e.getStatusCategory());
        assertEquals(Priority.P3, e.getPriorityLevel());
        assertEquals("lee@msp.example", e.getAssignee());
        assertEquals("Onboarding", e.getTeam());
        assertEquals(ActorType.AGENT, e.getActorType());
    }

    @Test
    @DisplayName("Generic: should read Bellwether's own JSON form with offsets in times")
    void shouldReadGeneric() throws Exception {
        TicketEvent e = one("generic", "generic/event.json");
        assertEquals("OPS-77", e.getTicketId());
        assertEquals(TicketEventType.ASSIGNED, e.getEventType());
        assertEquals(StatusCategory.IN_PROGRESS, e.getStatusCategory());
        assertEquals(Priority.P2, e.getPriorityLevel());
        assertEquals(Instant.parse("2026-11-16T09:15:00Z"), e.getOccurredAt());
        assertEquals(List.of("assignee:null->dana"), changes(e));
        FieldChange change = e.getChanges().get(0);
        assertNull(change.getFrom());
    }

    @Test
    @DisplayName("should let an installation override a vendor's status words")
    void shouldApplyStatusOverrides() throws Exception {
        IngestConfig custom = Fixtures.config(Map.of("ingest.connectwise.status-map", "Waiting Customer=ON_HOLD"));
        Delivery delivery = Fixtures.delivery("connectwise", "connectwise/ticket-updated.json");
        TicketEvent e = custom.sources().get("connectwise").adapter().toEvents(Json.MAPPER.readTree(delivery.body()), delivery).get(0);
        assertEquals(StatusCategory.ON_HOLD, e.getStatusCategory());
    }

    @Test
    @DisplayName("should refuse a time outside 1970-2200 as an invalid field, not fail later when Avro cannot hold it")
    void shouldRefuseAbsurdTimes() throws Exception {
        String body = "{\"ticketId\":\"T-1\",\"sourceEventId\":\"e-1\",\"occurredAt\":\"+1000000000-01-01T00:00:00Z\"}";
        Delivery delivery = new Delivery("generic", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of(), Fixtures.RECEIVED);
        Rejection r = assertThrows(Rejection.class,
                () -> config.sources().get("generic").adapter().toEvents(Json.MAPPER.readTree(delivery.body()), delivery));
        assertEquals(Rejection.INVALID_FIELD, r.code());
    }
}
