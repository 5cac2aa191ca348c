package io.bellwether.service.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the shutdown action once on Ctrl-C / SIGTERM and lets the main thread wait for it to finish. */
final class Shutdown {
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();

    Shutdown(Runnable action) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.set(true);
            try {
                action.run();
            } finally {
                done.countDown();
            }
        }, "bellwether-shutdown"));
    }

    boolean isStarted() {
        return started.get();
    }

    void await() throws InterruptedException {
        done.await();
    }
}
