package io.bellwether.serde;

/**
 * A schema registry call failed. The message always names the registry URL and the subject or schema id,
 * because "schema not found" without them sends operators hunting.
 */
public class SchemaRegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        this(message, -1, -1, cause);
    }

    /** HTTP status of the failed call, or -1 when the registry was not reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code (e.g. 40403 schema not found, 409 incompatible), or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the registry could not be reached or answered 5xx: worth retrying later. */
    public boolean isTransient() {
        return httpStatus < 0 || httpStatus >= 500;
    }
}
