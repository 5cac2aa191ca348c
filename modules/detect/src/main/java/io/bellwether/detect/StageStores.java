package io.bellwether.detect;

/**
 * The stores one stage reads, by name: its own entity states, and the global ones it consults (silences and
 * acknowledgements; surges for the ticket stage's inhibition).
 *
 * @param surges null except for the ticket stage
 */
public record StageStores(String state, String silences, String acks, String surges) {

    public static StageStores ticket(String state, String silences, String acks, String surges) {
        return new StageStores(state, silences, acks, surges);
    }

    public static StageStores aggregate(String state, String silences, String acks) {
        return new StageStores(state, silences, acks, null);
    }
}
