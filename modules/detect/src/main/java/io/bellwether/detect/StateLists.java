package io.bellwether.detect;

import java.util.List;
import java.util.function.Predicate;

/**
 * List edits that work on the arrays Avro decodes state into: their iterators cannot remove, so
 * {@code removeIf} fails on state read back from a store; removal by index works on every list.
 */
public final class StateLists {
    private StateLists() {
    }

    public static <T> void removeIf(List<T> list, Predicate<? super T> drop) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (drop.test(list.get(i))) {
                list.remove(i);
            }
        }
    }

    /** Removes the oldest entries (from the front) until at most {@code max} remain. */
    public static void keepLast(List<?> list, int max) {
        int excess = list.size() - max;
        for (int i = 0; i < excess; i++) {
            list.remove(0);
        }
    }
}
