package io.trailguard.job.operators;

import io.trailguard.job.metrics.AlertCounters;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** The alerts of deduplicated events, counted ({@link AlertCounters}). */
public final class AlertsOf extends RichFlatMapFunction<Evaluated, Alert> {
    private static final long serialVersionUID = 1L;

    private transient AlertCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = AlertCounters.register(getRuntimeContext());
    }

    @Override
    public void flatMap(Evaluated e, Collector<Alert> out) {
        for (Alert a : e.alerts) {
            counters.count(a);
            out.collect(a);
        }
    }
}
