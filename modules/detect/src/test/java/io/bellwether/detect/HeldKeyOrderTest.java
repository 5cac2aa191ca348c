package io.bellwether.detect;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Held facts are ordered by their key's time prefix; existing stores hold keys written with String.format. */
class HeldKeyOrderTest {
    @Test
    @DisplayName("should write a held key's time as sixteen lowercase hex digits, exactly as the formatter did")
    void shouldWriteTimesAsTheFormatterDid() {
        for (long at : new long[] {0, 1, 15, 16, 255, 1_700_000_000_000L, 1L << 52, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            assertEquals(String.format("%016x", at), FeedAlignment.hex16(at), "at " + at);
        }
    }

    @Test
    @DisplayName("should sort held keys of later moments after earlier ones")
    void shouldSortLaterMomentsAfter() {
        assertTrue(FeedAlignment.hex16(1_700_000_000_000L).compareTo(FeedAlignment.hex16(1_700_000_000_001L)) < 0);
        assertTrue(FeedAlignment.hex16(9).compareTo(FeedAlignment.hex16(10)) < 0);
    }
}
