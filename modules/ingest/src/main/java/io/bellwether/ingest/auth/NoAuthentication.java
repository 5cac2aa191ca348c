package io.bellwether.ingest.auth;

import io.bellwether.ingest.Delivery;

import java.time.Instant;

/** Accepts every delivery; only when {@code ingest.<source>.auth=none} is set explicitly, and logged as a warning. */
public final class NoAuthentication implements Authenticator {
    @Override
    public void verify(Delivery delivery, Instant now) {
    }

    @Override
    public String describe() {
        return "NONE (unauthenticated: for local testing only)";
    }
}
