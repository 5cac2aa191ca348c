package io.bellwether.bench;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(List<Long> values) {
        this.sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    int count() {
        return sorted.length;
    }

    long at(double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    long max() {
        return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
    }

    @Override
    public String toString() {
        return Arrays.toString(sorted);
    }
}
