package io.bellwether.detect.ticket;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * An event id's fingerprint is kept in ticket state to recognise a duplicate, so it may never change between
 * releases: a state written by an older release must still recognise the events it saw. The fingerprint is what it
 * always was (a UUID's two halves folded, any other id's string hash), however it is computed.
 */
class EventFingerprintSpec {
    /** The fingerprint as the first releases computed it: parse as a UUID, and on failure hash the string. */
    private static long asReleased(String eventId) {
        try {
            UUID uuid = UUID.fromString(eventId);
            return uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
        } catch (IllegalArgumentException notAUuid) {
            long h = 1125899906842597L;
            for (int i = 0; i < eventId.length(); i++) {
                h = 31 * h + eventId.charAt(i);
            }
            return h;
        }
    }

    @Test
    @DisplayName("should fingerprint every kind of event id exactly as earlier releases stored it")
    void shouldKeepTheStoredFingerprint() {
        List<String> ids = List.of(
                "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301", // a UUID, either case
                "1-2-3-4-5", "0-0-0-0-0", "ffffffff-ffff-ffff-ffff-ffffffffffff", // lenient forms UUID.fromString accepts
                "x-y-z-w-v", "3f2504e0-4f89-11d3-9a0c-0305e82c330g", "--------", "a-b-c-d-", // four dashes, not hex
                "3f2504e0-4f89-11d3-9a0c-0305e82c3301-0", "3f2504e0-4f89-11d3-9a0c-0305e82c33011", // too long
                "INC0000045:3", "bench-evt-000042", "cw-123456-update-7", "zd:ticket:981:audit:55", "", "-", "1-2-3");
        for (String id : ids) {
            assertEquals(asReleased(id), TicketUpdater.hash(id), id);
        }
        for (int i = 0; i < 2_000; i++) {
            String id = i % 2 == 0 ? UUID.randomUUID().toString() : "evt-" + i + "-" + UUID.randomUUID();
            assertEquals(asReleased(id), TicketUpdater.hash(id), id);
        }
    }

    @Test
    @DisplayName("should tell two different ids apart, UUID or not")
    void shouldTellIdsApart() {
        assertNotEquals(TicketUpdater.hash("INC0000045:3"), TicketUpdater.hash("INC0000045:4"));
        assertNotEquals(TicketUpdater.hash("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), TicketUpdater.hash("3f2504e0-4f89-11d3-9a0c-0305e82c3302"));
    }
}
