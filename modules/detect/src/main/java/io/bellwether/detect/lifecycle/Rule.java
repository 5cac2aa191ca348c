package io.bellwether.detect.lifecycle;

import java.util.List;

/**
 * A rule of any stage (ticket, account, technician, shared dimension): a pure function of one entity's view and a
 * moment. It says what holds now (one verdict per dedup key it manages) and when that could next change with no new
 * input, which is when the stage looks again (StageTimers).
 *
 * @param <V> what the rule reads of its entity
 */
public interface Rule<V> {

    /** Adds this rule's verdicts for the entity at {@code at}. */
    void evaluate(V view, long at, List<Verdict> out);

    /** The next moment after {@code at} at which a verdict could change with no new input, or Long.MAX_VALUE. */
    long nextChange(V view, long at);
}
