package io.bellwether.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real broker and one real registry per test JVM, started on first use and stopped when the JVM exits.
 * Starting them per test class would cost seconds each; tests stay independent by using their own topics
 * and application ids.
 */
public final class SharedStack {
    private static EmbeddedStack stack;

    private SharedStack() {
    }

    public static synchronized EmbeddedStack get() {
        if (stack == null) {
            try {
                Path dir = Files.createTempDirectory("bellwether-test-stack");
                stack = EmbeddedStack.start(EmbeddedStack.Options.in(dir));
                EmbeddedStack started = stack;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    ApicurioDistribution.deleteRecursively(dir);
                }, "shared-stack-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }

    /** A topic or application id no other test uses. */
    public static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }
}
