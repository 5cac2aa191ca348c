package io.bellwether.common.config;

/** A configuration value is missing or malformed; the message names the setting and where it came from. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
