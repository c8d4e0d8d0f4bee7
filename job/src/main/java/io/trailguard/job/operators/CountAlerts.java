package io.trailguard.job.operators;

import io.trailguard.job.metrics.AlertPriorityCounters;
import io.trailguard.job.metrics.Counters;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** Counts rate alerts into the alerts accumulator and by priority (single-event alerts: {@link AlertsOf}). */
public final class CountAlerts extends RichFlatMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;
    private transient Counters.Both alerts;
    private transient AlertPriorityCounters byPriority;

    @Override
    public void open(OpenContext openContext) {
        alerts = Counters.register(getRuntimeContext(), Counters.ALERTS);
        byPriority = AlertPriorityCounters.register(getRuntimeContext());
    }

    @Override
    public void flatMap(Alert a, Collector<Alert> out) {
        alerts.inc();
        byPriority.inc(a.priority());
        out.collect(a);
    }
}
