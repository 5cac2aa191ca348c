package io.bellwether.ingest.auth;

import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * A shared secret sent as {@code Authorization: Bearer <secret>} or {@code X-Bellwether-Token: <secret>}, for
 * sources that can add a header but not sign (ServiceNow outbound REST, Freshservice workflow webhooks).
 */
public final class TokenAuthenticator implements Authenticator {
    private final byte[] expected;

    public TokenAuthenticator(String token) {
        this.expected = BasicAuthenticator.digest(token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void verify(Delivery delivery, Instant now) throws Rejection {
        String token = delivery.header("X-Bellwether-Token");
        String authorization = delivery.header("Authorization");
        if (token == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        if (token == null) {
            throw Rejection.unauthenticated(Rejection.MISSING_SIGNATURE, "A token is required (Authorization: Bearer … or X-Bellwether-Token)");
        }
        if (!MessageDigest.isEqual(expected, BasicAuthenticator.digest(token.getBytes(StandardCharsets.UTF_8)))) {
            throw Rejection.unauthenticated(Rejection.BAD_SIGNATURE, "The token does not match");
        }
    }

    @Override
    public String describe() {
        return "shared token";
    }
}
