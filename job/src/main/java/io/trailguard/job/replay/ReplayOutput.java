package io.trailguard.job.replay;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;

/**
 * Where a bounded replay without a cluster sends its results: the seam between the replay executor and how the
 * command presents them (alert lines, their order, a summary). Called from the executor's one thread.
 */
public interface ReplayOutput {
    /** A single-event alert (as its event is read) or a rate alert (at the end of input). */
    void alert(Alert a);

    void deadLetter(DeadLetter d);

    /** The end of input: every alert and dead letter has been given. */
    default void finish() {
    }
}
