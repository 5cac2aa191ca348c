package io.bellwether.replay;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long run: a bar with rate and ETA redrawn in place on a terminal, plain periodic lines otherwise
 * (CI logs, pipes), so neither gets flooded.
 */
public final class Progress {
    private final PrintStream out;
    private final String what;
    private final long total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastPrinted;

    public Progress(PrintStream out, String what, long total, boolean terminal) {
        this.out = out;
        this.what = what;
        this.total = total;
        this.terminal = terminal;
    }

    public static Progress forConsole(PrintStream out, String what, long total) {
        return new Progress(out, what, total, System.console() != null);
    }

    public void update(long done) {
        long now = System.nanoTime();
        long every = terminal ? 200_000_000L : 5_000_000_000L;
        if (now - lastPrinted < every && done < total) {
            return;
        }
        lastPrinted = now;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        int percent = total == 0 ? 100 : (int) (100 * done / total);
        if (terminal) {
            int width = 30;
            int filled = percent * width / 100;
            out.printf(Locale.ROOT, "\r[%s%s] %3d%% %,d/%,d %s  %,.0f/s  ETA %ds   ", "#".repeat(filled), ".".repeat(width - filled),
                    percent, done, total, what, rate, eta);
            if (done >= total) {
                out.println();
            }
        } else {
            out.printf(Locale.ROOT, "%s: %,d/%,d (%d%%), %,.0f/s, ETA %ds%n", what, done, total, percent, rate, eta);
        }
        out.flush();
    }
}
