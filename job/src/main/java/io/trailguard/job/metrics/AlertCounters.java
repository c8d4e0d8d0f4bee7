package io.trailguard.job.metrics;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.functions.RuntimeContext;

/** What every stage that emits alerts counts: the total ({@value Counters#ALERTS}) and the count by priority. */
public final class AlertCounters {
    private final Counters.Both total;
    private final AlertPriorityCounters byPriority;

    private AlertCounters(Counters.Both total, AlertPriorityCounters byPriority) {
        this.total = total;
        this.byPriority = byPriority;
    }

    /** Registers both in the operator's groups (call in {@code open}). */
    public static AlertCounters register(RuntimeContext ctx) {
        return new AlertCounters(Counters.register(ctx, Counters.ALERTS), AlertPriorityCounters.register(ctx));
    }

    /** Counts one alert. */
    public void count(Alert a) {
        total.inc();
        byPriority.inc(a.rule().priority());
    }
}
