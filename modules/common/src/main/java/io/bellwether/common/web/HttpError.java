package io.bellwether.common.web;

import java.util.Map;

/** A failure the client should see: an HTTP status, a stable machine-readable code and a sentence for humans. */
public class HttpError extends Exception {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public HttpError(int status, String code, String reason) {
        this(status, code, reason, Map.of());
    }

    public HttpError(int status, String code, String reason, Map<String, String> headers) {
        super(reason);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
