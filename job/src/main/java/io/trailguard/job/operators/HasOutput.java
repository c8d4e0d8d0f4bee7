package io.trailguard.job.operators;

import io.trailguard.job.serde.Evaluated;
import org.apache.flink.api.common.functions.FilterFunction;

/** Keeps the evaluated events that alerted or produced rate signals. */
public final class HasOutput implements FilterFunction<Evaluated> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(Evaluated e) {
        return e.hasOutput();
    }
}
