package io.bellwether.ingest.auth;

import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/** HTTP basic authentication (HaloPSA's webhook authentication), compared in constant time. */
public final class BasicAuthenticator implements Authenticator {
    private final byte[] expected;

    public BasicAuthenticator(String username, String password) {
        this.expected = digest((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void verify(Delivery delivery, Instant now) throws Rejection {
        String header = delivery.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw Rejection.unauthenticated(Rejection.MISSING_SIGNATURE, "Basic authentication is required");
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.unauthenticated(Rejection.BAD_SIGNATURE, "The Authorization header is not valid base64");
        }
        // Digests first: equal lengths, so the comparison time says nothing about the password's length.
        if (!MessageDigest.isEqual(expected, digest(presented))) {
            throw Rejection.unauthenticated(Rejection.BAD_SIGNATURE, "Wrong user name or password");
        }
    }

    static byte[] digest(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String describe() {
        return "basic authentication";
    }
}
