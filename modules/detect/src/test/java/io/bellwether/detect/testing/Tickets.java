package io.bellwether.detect.testing;

import io.bellwether.events.ActorType;
import io.bellwether.events.Priority;
import io.bellwether.events.StatusCategory;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TicketEventType;
import io.bellwether.events.TicketKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * Builds ticket events for specifications. Each ticket keeps its latest snapshot, so a test says only what
 * changes: {@code t.update("09:30").assign("alice")}.
 */
public final class Tickets {
    private final String source;
    private final String ticketId;
    private final TicketEvent.Builder snapshot;
    private int sequence;

    private Tickets(String source, String ticketId) {
        this.source = source;
        this.ticketId = ticketId;
        this.snapshot = TicketEvent.newBuilder()
                .setEventId("")
                .setSourceSystem(source)
                .setSourceEventId("")
                .setTicketId(ticketId)
                .setAccountId("acme")
                .setAccountName("ACME Corp")
                .setEventType(TicketEventType.CREATED)
                .setStatus("New")
                .setStatusCategory(StatusCategory.NEW)
                .setPriority("P3")
                .setPriorityLevel(Priority.P3)
                .setAssignee(null)
                .setTeam("Service Desk")
                .setCategory("Email")
                .setConfigurationItem(null)
                .setVendor(null)
                .setEscalated(false)
                .setActor(null)
                .setActorType(ActorType.AGENT)
                .setOccurredAt(Instant.EPOCH)
                .setReceivedAt(Instant.EPOCH)
                .setCreatedAt(null)
                .setChanges(new ArrayList<>())
                .setAttributes(new HashMap<>());
    }

    public static Tickets ticket(String ticketId) {
        return new Tickets("test", ticketId);
    }

    public String key() {
        return TicketKeys.ticketKey(source, ticketId);
    }

    /** A CREATED event at {@code at}; the ticket's creation time is set to it. */
    public Step created(String at) {
        Instant when = Instant.parse(at);
        snapshot.setCreatedAt(when);
        return new Step(TicketEventType.CREATED, when);
    }

    /** An UPDATED event at {@code at} (change the type with {@link Step#type}). */
    public Step update(String at) {
        return new Step(TicketEventType.UPDATED, Instant.parse(at));
    }

    /** One event under construction; {@link #event()} freezes it and makes it the ticket's new snapshot. */
    public final class Step {
        private final TicketEventType type;
        private final Instant at;
        private String sourceEventId;

        private Step(TicketEventType type, Instant at) {
            this.type = type;
            this.at = at;
            snapshot.setEventType(type).setOccurredAt(at).setReceivedAt(at);
        }

        public Step type(TicketEventType t) {
            snapshot.setEventType(t);
            return this;
        }

        public Step account(String id) {
            snapshot.setAccountId(id).setAccountName(id == null ? null : id.toUpperCase());
            return this;
        }

        public Step priority(Priority p) {
            snapshot.setPriorityLevel(p).setPriority(p.name());
            return this;
        }

        public Step assign(String who) {
            snapshot.setAssignee(who);
            return this;
        }

        public Step team(String team) {
            snapshot.setTeam(team);
            return this;
        }

        public Step category(String category) {
            snapshot.setCategory(category);
            return this;
        }

        public Step ci(String ci) {
            snapshot.setConfigurationItem(ci);
            return this;
        }

        public Step vendor(String vendor) {
            snapshot.setVendor(vendor);
            return this;
        }

        public Step status(StatusCategory category) {
            snapshot.setStatusCategory(category).setStatus(category.name());
            return this;
        }

        public Step status(StatusCategory category, String raw) {
            snapshot.setStatusCategory(category).setStatus(raw);
            return this;
        }

        public Step escalated(boolean flag) {
            snapshot.setEscalated(flag);
            return this;
        }

        /** Names who made this and later events (null: the event names nobody). */
        public Step by(String actor) {
            snapshot.setActor(actor);
            return this;
        }

        public Step actor(ActorType actor) {
            snapshot.setActorType(actor);
            return this;
        }

        /** Sets a source attribute (summary, title, ...) on this and later events, as a PSA resends the ticket's fields. */
        public Step attribute(String name, String value) {
            java.util.Map<String, String> attributes = new java.util.TreeMap<>(snapshot.getAttributes() == null ? java.util.Map.of() : snapshot.getAttributes());
            attributes.put(name, value);
            snapshot.setAttributes(attributes);
            return this;
        }

        /** Gives the event an explicit source id, e.g. to send the same delivery twice. */
        public Step sourceEventId(String id) {
            this.sourceEventId = id;
            return this;
        }

        public TicketEvent event() {
            String id = sourceEventId != null ? sourceEventId : ticketId + "#" + (++sequence) + "@" + at;
            snapshot.setSourceEventId(id).setEventId(TicketKeys.eventId(source, id));
            TicketEvent event = snapshot.build();
            snapshot.setChanges(new ArrayList<>()).setActorType(ActorType.AGENT);
            return event;
        }
    }
}
