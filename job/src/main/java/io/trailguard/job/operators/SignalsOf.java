package io.trailguard.job.operators;

import io.trailguard.job.serde.Evaluated;
import io.trailguard.rules.aggregate.Signal;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** The rate signals of a deduplicated event. */
public final class SignalsOf implements FlatMapFunction<Evaluated, Signal> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(Evaluated e, Collector<Signal> out) {
        if (e.signals != null) {
            for (Signal s : e.signals) {
                out.collect(s);
            }
        }
    }
}
