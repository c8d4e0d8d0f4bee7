package io.trailguard.job.metrics;

import io.trailguard.rules.engine.Priority;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One exported counter per Falco priority ({@code alertsCritical}, {@code alertsWarning}, ...), so an operator can
 * alarm on and chart severe alerts apart from noise. Metrics only, no accumulators: {@code replay} reports the total
 * ({@value Counters#ALERTS}). An alert whose priority text is no priority is counted in the total only.
 */
public final class AlertPriorityCounters {
    private final Map<Priority, Counter> counters = new EnumMap<>(Priority.class);

    private AlertPriorityCounters() {
    }

    /** The metric name for {@code p}: {@code alerts} and the priority as Falco prints it. */
    public static String name(Priority p) {
        return "alerts" + p.display();
    }

    /** Every name, most severe first. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Priority p : Priority.values()) {
            out.add(name(p));
        }
        return Collections.unmodifiableList(out);
    }

    /** Registers the counters of every priority in the operator's exported group. */
    public static AlertPriorityCounters register(RuntimeContext ctx) {
        AlertPriorityCounters c = new AlertPriorityCounters();
        for (Priority p : Priority.values()) {
            c.counters.put(p, ExportedMetrics.counter(ctx.getMetricGroup(), name(p)));
        }
        return c;
    }

    /** Counts one alert of priority {@code priority} (Falco's text, any case). */
    public void inc(String priority) {
        Priority p = Priority.parse(priority);
        if (p != null) {
            counters.get(p).inc();
        }
    }
}
