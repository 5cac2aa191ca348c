package io.bellwether.events;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Identity rules shared by every producer of ticket events. A ticket is keyed by its source system and its
 * id there, because two PSAs can both have a ticket 1042. An event's id is derived from its source identity,
 * so the same vendor delivery retried is recognised downstream and counted once.
 */
public final class TicketKeys {
    private TicketKeys() {
    }

    /** {@code <sourceSystem>:<ticketId>}, the Kafka key of a ticket's events. */
    public static String ticketKey(String sourceSystem, String ticketId) {
        return normaliseSource(sourceSystem) + ":" + ticketId;
    }

    public static String ticketKey(TicketEvent event) {
        return ticketKey(event.getSourceSystem(), event.getTicketId());
    }

    /** A name-based UUID of the source identity: equal inputs, equal ids. */
    public static String eventId(String sourceSystem, String sourceEventId) {
        String name = "bellwether/" + normaliseSource(sourceSystem) + "/" + sourceEventId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static String normaliseSource(String sourceSystem) {
        return sourceSystem.trim().toLowerCase(Locale.ROOT);
    }
}
