package io.bellwether.embedded;

/** The embedded broker or registry could not start; the message says what to do about it. */
public class EmbeddedStartException extends RuntimeException {
    public EmbeddedStartException(String message) {
        super(message);
    }

    public EmbeddedStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
