package io.bellwether.detect.ticket;

import io.bellwether.detect.state.TicketState;
import io.bellwether.events.TicketEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reporting dimensions a ticket keeps beyond its category and CI: location, department and application, read from
 * the event attributes of those names (a mapping or adapter puts them there where the PSA has them). The latest value
 * reported wins; an event that does not carry one leaves it as it was.
 */
public final class TicketDimensions {
    /** The attribute names kept, in the order the recurring issues list them. */
    public static final List<String> NAMES = List.of("location", "department", "application");

    private TicketDimensions() {
    }

    static void apply(TicketEvent event, TicketState state) {
        Map<String, String> attributes = event.getAttributes();
        if (attributes == null || attributes.isEmpty()) {
            return;
        }
        for (String name : NAMES) {
            String value = attributes.get(name);
            if (value != null && !value.isBlank() && !value.equals(state.getDimensions().get(name))) {
                Map<String, String> kept = new HashMap<>(state.getDimensions());
                kept.put(name, value);
                state.setDimensions(kept);
            }
        }
    }
}
