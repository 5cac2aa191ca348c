package io.bellwether.ingest;

import io.bellwether.common.web.HttpError;

/**
 * Why a webhook delivery is refused. The reason code is stable (metrics label, DLQ header, JSON {@code error}); the
 * message says what to fix. Whether the body is kept depends on whether it passed authentication: bodies from
 * someone who proved they hold the secret go to the dead-letter topic, the rest are only counted.
 */
public final class Rejection extends HttpError {
    public static final String BAD_SIGNATURE = "bad_signature";
    public static final String MISSING_SIGNATURE = "missing_signature";
    public static final String STALE_TIMESTAMP = "stale_timestamp";
    public static final String NOT_CONFIGURED = "source_not_configured";
    public static final String TOO_LARGE = "payload_too_large";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String MALFORMED = "malformed_json";
    public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_FIELD = "invalid_field";
    public static final String FIELD_TOO_LONG = "field_too_long";
    public static final String INVALID_ENCODING = "invalid_encoding";

    private Rejection(int status, String code, String reason) {
        super(status, code, reason);
    }

    /** Authentication failed: 401, counted, body not stored. */
    public static Rejection unauthenticated(String code, String reason) {
        return new Rejection(401, code, reason);
    }

    /** An authenticated body Bellwether cannot turn into events: 422 (or 400 for malformed JSON), stored in the DLQ. */
    public static Rejection invalid(String code, String reason) {
        return new Rejection(MALFORMED.equals(code) ? 400 : 422, code, reason);
    }

    public static Rejection of(int status, String code, String reason) {
        return new Rejection(status, code, reason);
    }
}
