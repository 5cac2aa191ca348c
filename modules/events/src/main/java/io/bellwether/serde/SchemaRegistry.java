package io.bellwether.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry protocol Bellwether needs: register or look up a schema
 * under a subject, fetch a schema by its global id, and check compatibility before a change lands.
 *
 * <p>Implementations report every failure as a {@link SchemaRegistryException} that names the
 * registry and the subject or id involved; they never return null.
 */
public interface SchemaRegistry extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the id of {@code schema} already registered under {@code subject}; fails if it is not. */
    int lookup(String subject, Schema schema);

    /** Returns the schema with this global id. */
    Schema schemaById(int id);

    /** Asks whether {@code schema} could be registered under {@code subject} by its compatibility rule. */
    CompatibilityResult checkCompatibility(String subject, Schema schema);

    /** Sets the compatibility level (BACKWARD, FULL, NONE, ...) of one subject, or globally when subject is null. */
    void setCompatibility(String subject, String level);

    /** Where this registry lives, for messages. */
    String url();

    @Override
    default void close() {
    }

    /** The answer of a compatibility check. */
    record CompatibilityResult(boolean compatible, java.util.List<String> messages) {
        public CompatibilityResult {
            messages = java.util.List.copyOf(messages);
        }
    }
}
