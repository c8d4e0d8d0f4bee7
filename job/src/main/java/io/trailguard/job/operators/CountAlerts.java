package io.trailguard.job.operators;

import io.trailguard.job.metrics.AlertCounters;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** Counts rate and incident alerts as they pass ({@link AlertCounters}; single-event alerts: {@link AlertsOf}). */
public final class CountAlerts extends RichFlatMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;

    private transient AlertCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = AlertCounters.register(getRuntimeContext());
    }

    @Override
    public void flatMap(Alert a, Collector<Alert> out) {
        counters.count(a);
        out.collect(a);
    }
}
