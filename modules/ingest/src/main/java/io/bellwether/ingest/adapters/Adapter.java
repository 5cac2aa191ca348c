package io.bellwether.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.bellwether.events.TicketEvent;
import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.util.List;

/**
 * Turns one vendor's webhook body into canonical ticket events. Implementations never throw anything but
 * {@link Rejection} for bad input: every other exception is a bug, and the receiver answers it with a 500.
 */
public interface Adapter {
    /** The source system written on the events ({@code jira}, {@code zendesk}…), part of every ticket's key. */
    String sourceSystem();

    List<TicketEvent> toEvents(JsonNode body, Delivery delivery) throws Rejection;
}
