package io.bellwether.ingest;

import io.bellwether.events.TicketEvent;
import org.apache.kafka.common.header.Headers;

import java.util.List;

/** Where accepted events and rejected bodies go. Both calls return only once the broker has acknowledged. */
public interface Publisher extends AutoCloseable {
    /** @throws PublishException when Kafka did not take every event within the deadline */
    void publish(List<TicketEvent> events) throws PublishException;

    /** Keeps a rejected, authenticated body with its reason. */
    void deadLetter(String source, byte[] body, Headers requestHeaders, String reason) throws PublishException;

    /** Whether Kafka is believed reachable now; when not, a delivery can be refused before anything is read. */
    default boolean available() {
        return true;
    }

    @Override
    void close();

    /** Kafka did not confirm: the webhook must be answered 5xx so the PSA retries. */
    final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
