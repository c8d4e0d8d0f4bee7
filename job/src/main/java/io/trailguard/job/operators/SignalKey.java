package io.trailguard.job.operators;

import io.trailguard.rules.aggregate.Signal;
import org.apache.flink.api.java.functions.KeySelector;

/** Rate-rule key: rule and group values. */
public final class SignalKey implements KeySelector<Signal, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Signal s) {
        return s.key();
    }
}
