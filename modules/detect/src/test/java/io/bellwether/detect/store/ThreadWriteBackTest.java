package io.bellwether.detect.store;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A commit waits for one producer round trip, not one per task: the first task's flush writes back every write-back
 * store of its stream thread, so the tasks after it have nothing left to send.
 */
class ThreadWriteBackTest {
    private final List<EntityStore<String>> opened = new ArrayList<>();
    private EntityStore<String> tickets;
    private EntityStore<String> accounts;

    private EntityStore<String> open(String name) {
        KeyValueStore<String, String> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        EntityStore<String> store = EntityStore.over(inner);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        opened.add(store);
        return store;
    }

    @BeforeEach
    void openStores() {
        tickets = open("ticket-state");
        accounts = open("account-state");
        // A store joins its thread's write-back at its first flush (Kafka Streams may open it on another thread).
        tickets.flushCache();
        accounts.flushCache();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(store -> {
            if (store.isOpen()) {
                store.close();
            }
        });
    }

    @Test
    @DisplayName("should write back every store of the thread when the first task's store is flushed")
    void shouldWriteBackTheWholeThreadAtTheFirstFlush() {
        tickets.write("INC1", "open");
        accounts.write("acme", "1 open");

        tickets.flushCache();

        assertEquals("open", tickets.get("INC1"));
        assertEquals("1 open", accounts.get("acme"), "the other task's store was written back with the first");
        assertEquals(0, accounts.uncommitted());
        accounts.flushCache();
        assertEquals("1 open", accounts.get("acme"), "the later task's own flush finds nothing left and changes nothing");
    }

    @Test
    @DisplayName("should write back only the stores of the thread that flushes, the store moving to that thread")
    void shouldWriteBackOnlyTheFlushingThreadsStores() throws InterruptedException {
        tickets.write("INC1", "open");
        accounts.write("acme", "1 open");

        Thread another = new Thread(tickets::flushCache, "another-thread");
        another.start();
        another.join();

        assertEquals("open", tickets.get("INC1"));
        assertNull(accounts.get("acme"), "a store of the stream thread is not written from another thread");
        assertEquals(1, accounts.uncommitted());
        accounts.flushCache();
        assertEquals("1 open", accounts.get("acme"));
        tickets.write("INC2", "open");
        accounts.flushCache();
        assertNull(tickets.get("INC2"), "tickets now belongs to the thread that flushed it last");
    }

    @Test
    @DisplayName("should leave a closed store alone, and forget it")
    void shouldSkipAClosedStore() {
        accounts.write("acme", "1 open");
        accounts.close();
        tickets.write("INC1", "open");

        tickets.flushCache();

        assertEquals("open", tickets.get("INC1"));
        EntityStore<String> reopened = open("account-state");
        reopened.write("acme", "2 open");
        tickets.flushCache();
        assertEquals(1, reopened.uncommitted(), "a store joins at its own first flush, not before");
        reopened.flushCache();
        tickets.write("INC2", "open");
        reopened.write("acme", "3 open");
        tickets.flushCache();
        assertEquals("3 open", reopened.get("acme"));
    }
}
