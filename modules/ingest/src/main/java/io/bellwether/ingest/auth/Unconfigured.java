package io.bellwether.ingest.auth;

import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.time.Instant;

/** A source without a secret refuses everything, saying which setting would enable it. */
public final class Unconfigured implements Authenticator {
    private final String setting;

    public Unconfigured(String setting) {
        this.setting = setting;
    }

    @Override
    public void verify(Delivery delivery, Instant now) throws Rejection {
        throw Rejection.unauthenticated(Rejection.NOT_CONFIGURED, "This source has no secret configured; set " + setting);
    }

    @Override
    public String describe() {
        return "disabled (no secret; set " + setting + ")";
    }
}
