package io.bellwether.ingest.auth;

import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.Instant;

/** Proves a delivery came from the configured sender. Failing deliveries are answered 401 and never stored. */
public interface Authenticator {
    void verify(Delivery delivery, Instant now) throws Rejection;

    /** A short description for logs and the startup banner, never the secret. */
    String describe();
}
