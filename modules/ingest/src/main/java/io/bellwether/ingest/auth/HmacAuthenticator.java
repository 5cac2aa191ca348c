package io.bellwether.ingest.auth;

import io.bellwether.ingest.Delivery;
import io.bellwether.ingest.Rejection;
import io.bellwether.ingest.adapters.Fields;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An HMAC over the raw body (and, where the vendor signs one, a timestamp), compared in constant time. When a
 * timestamp is signed, deliveries outside the replay window are refused, so a captured request cannot be replayed
 * later. The vendors' schemes are presets: {@link #zendesk}, {@link #jira}, {@link #autotask}, {@link #connectWise},
 * and {@link #bellwether} for sources that let you add a header of your own.
 */
public final class HmacAuthenticator implements Authenticator {
    public enum Encoding { HEX, BASE64 }

    private final String name;
    private final String signatureHeader;
    private final String algorithm;
    private final Encoding encoding;
    private final String prefix;
    private final String timestampHeader;
    private final String timestampSeparator;
    private final Duration window;
    private final byte[] secret;

    public HmacAuthenticator(String name, String signatureHeader, String algorithm, Encoding encoding, String prefix,
                             String timestampHeader, String timestampSeparator, Duration window, String secret) {
        this.name = name;
        this.signatureHeader = signatureHeader;
        this.algorithm = algorithm;
        this.encoding = encoding;
        this.prefix = prefix;
        this.timestampHeader = timestampHeader;
        this.timestampSeparator = timestampSeparator;
        this.window = window;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        mac(); // fail at startup on an unknown algorithm, not on the first delivery
    }

    /** Zendesk: base64(HMAC-SHA256(secret, timestamp + body)) in X-Zendesk-Webhook-Signature, timestamp signed. */
    public static HmacAuthenticator zendesk(String secret, Duration window) {
        return new HmacAuthenticator("zendesk-signature", "X-Zendesk-Webhook-Signature", "HmacSHA256", Encoding.BASE64, "",
                "X-Zendesk-Webhook-Signature-Timestamp", "", window, secret);
    }

    /** Jira: {@code sha256=} hex(HMAC-SHA256(secret, body)) in X-Hub-Signature. */
    public static HmacAuthenticator jira(String secret) {
        return new HmacAuthenticator("jira-signature", "X-Hub-Signature", "HmacSHA256", Encoding.HEX, "sha256=", null, null, null, secret);
    }

    /** Autotask: base64(HMAC-SHA1(secret key, body)) in X-Hook-Signature, optionally prefixed {@code sha1=}. */
    public static HmacAuthenticator autotask(String secret) {
        return new HmacAuthenticator("autotask-signature", "X-Hook-Signature", "HmacSHA1", Encoding.BASE64, "sha1=", null, null, null, secret);
    }

    /** ConnectWise: base64(HMAC-SHA256(callback signing key, body)) in x-content-signature. */
    public static HmacAuthenticator connectWise(String secret) {
        return new HmacAuthenticator("connectwise-signature", "x-content-signature", "HmacSHA256", Encoding.BASE64, "", null, null, null, secret);
    }

    /** Bellwether's own: {@code sha256=} hex(HMAC-SHA256(secret, timestamp + "." + body)), timestamp signed. */
    public static HmacAuthenticator bellwether(String secret, Duration window) {
        return new HmacAuthenticator("bellwether-signature", "X-Bellwether-Signature", "HmacSHA256", Encoding.HEX, "sha256=",
                "X-Bellwether-Timestamp", ".", window, secret);
    }

    @Override
    public void verify(Delivery delivery, Instant now) throws Rejection {
        String presented = delivery.header(signatureHeader);
        if (presented == null || presented.isBlank()) {
            throw Rejection.unauthenticated(Rejection.MISSING_SIGNATURE, "The " + signatureHeader + " header is missing");
        }
        String timestamp = null;
        if (timestampHeader != null) {
            timestamp = delivery.header(timestampHeader);
            if (timestamp == null) {
                throw Rejection.unauthenticated(Rejection.MISSING_SIGNATURE, "The " + timestampHeader + " header is missing");
            }
            Instant signedAt = Fields.parseTime(timestamp, ZoneOffset.UTC);
            if (signedAt == null) {
                throw Rejection.unauthenticated(Rejection.STALE_TIMESTAMP, "The " + timestampHeader + " header is not a time");
            }
            if (Duration.between(signedAt, now).abs().compareTo(window) > 0) {
                throw Rejection.unauthenticated(Rejection.STALE_TIMESTAMP, "The signed timestamp " + signedAt + " is more than "
                        + window.toMinutes() + " minutes from now: a replayed or badly delayed delivery");
            }
        }
        byte[] expected = expected(delivery.body(), timestamp);
        byte[] actual = decode(presented.trim());
        // Both sides are fixed-length digests; MessageDigest.isEqual does not stop at the first differing byte.
        if (actual == null || !MessageDigest.isEqual(expected, actual)) {
            throw Rejection.unauthenticated(Rejection.BAD_SIGNATURE, "The " + signatureHeader + " signature does not match the body");
        }
    }

    /** The signature header value a correct sender would send (tests and the README's curl examples use it). */
    public String sign(byte[] body, String timestamp) {
        byte[] digest = expected(body, timestamp);
        return prefix + (encoding == Encoding.HEX ? HexFormat.of().formatHex(digest) : Base64.getEncoder().encodeToString(digest));
    }

    private byte[] expected(byte[] body, String timestamp) {
        Mac mac = mac();
        if (timestamp != null) {
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update(timestampSeparator.getBytes(StandardCharsets.UTF_8));
        }
        return mac.doFinal(body);
    }

    private byte[] decode(String value) {
        String v = value;
        if (!prefix.isEmpty() && v.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            v = v.substring(prefix.length());
        }
        try {
            return encoding == Encoding.HEX ? HexFormat.of().parseHex(v.toLowerCase(Locale.ROOT)) : Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + algorithm + " is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return name + " (" + signatureHeader + (timestampHeader != null ? ", " + timestampHeader + " within " + window.toMinutes() + "m" : "") + ")";
    }
}
