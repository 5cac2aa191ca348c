package io.bellwether.replay;

/** A mapping file or an export cannot be used at all; nothing has been produced. */
public class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }
}
