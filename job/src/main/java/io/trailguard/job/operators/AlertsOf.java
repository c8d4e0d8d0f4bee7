package io.trailguard.job.operators;

import io.trailguard.job.metrics.AlertPriorityCounters;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** The alerts of deduplicated events, counted as {@value Counters#ALERTS} and by priority. */
public final class AlertsOf extends RichFlatMapFunction<Evaluated, Alert> {
    private static final long serialVersionUID = 1L;

    private transient Counters.Both alerts;
    private transient AlertPriorityCounters byPriority;

    @Override
    public void open(OpenContext openContext) {
        alerts = Counters.register(getRuntimeContext(), Counters.ALERTS);
        byPriority = AlertPriorityCounters.register(getRuntimeContext());
    }

    @Override
    public void flatMap(Evaluated e, Collector<Alert> out) {
        for (Alert a : e.alerts) {
            alerts.inc();
            byPriority.inc(a.priority());
            out.collect(a);
        }
    }
}
