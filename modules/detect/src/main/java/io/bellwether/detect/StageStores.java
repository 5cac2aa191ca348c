package io.bellwether.detect;

/**
 * The stores one stage reads, by name: its own (entity state; for aggregate stages the held facts and the upstream
 * clocks) and the global ones it consults (silences and acknowledgements; surges for the ticket stage's inhibition).
 *
 * @param pending null for the ticket stage, which holds nothing back
 * @param clock   null for the ticket stage
 * @param surges  null except for the ticket stage
 */
public record StageStores(String state, String pending, String clock, String silences, String acks, String surges) {

    public static StageStores ticket(String state, String silences, String acks, String surges) {
        return new StageStores(state, null, null, silences, acks, surges);
    }

    public static StageStores aggregate(String state, String pending, String clock, String silences, String acks) {
        return new StageStores(state, pending, clock, silences, acks, null);
    }
}
