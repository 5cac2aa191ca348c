package io.bellwether.detect.lifecycle;

/**
 * Asks an entity's lifecycle, before a costly verdict is built, whether a verdict with this outcome could change
 * anything now ({@link SignalLifecycle#wouldStayQuiet}); when it could not, the rule need not build it.
 */
@FunctionalInterface
public interface QuietCheck {
    boolean wouldStayQuiet(String dedupKey, boolean active, String severity, int factsHash);
}
