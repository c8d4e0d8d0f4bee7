package io.trailguard.job.operators;

import io.trailguard.job.serde.Evaluated;
import org.apache.flink.api.java.functions.KeySelector;

/** Deduplication key. */
public final class EventKey implements KeySelector<Evaluated, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Evaluated e) {
        return e.eventKey;
    }
}
