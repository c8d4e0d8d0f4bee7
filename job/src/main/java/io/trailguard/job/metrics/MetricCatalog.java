package io.trailguard.job.metrics;

import io.trailguard.job.pipeline.AlertPriorityCounters;
import io.trailguard.job.pipeline.Counters;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Every metric name the job exports to CloudWatch ({@link ExportedMetrics}). The operations table in
 * {@code deployment/managed-flink/README.md} lists exactly these names (a test keeps them in step, and checks that
 * every Terraform alarm on a custom metric names one of them).
 */
public final class MetricCatalog {
    /** Alerts imported into Security Hub as findings (delivered, retried after a throttle or error, given up). */
    public static final String FINDINGS_DELIVERED = "findingsDelivered";
    public static final String FINDINGS_RETRIED = "findingsRetried";
    public static final String FINDINGS_DEAD_LETTERED = "findingsDeadLettered";
    /** Alert and rule status lines written to CloudWatch Logs (delivered, retried, given up). */
    public static final String LOG_EVENTS_DELIVERED = "logEventsDelivered";
    public static final String LOG_EVENTS_RETRIED = "logEventsRetried";
    public static final String LOG_EVENTS_DEAD_LETTERED = "logEventsDeadLettered";

    private static final Set<String> NAMES;

    static {
        Set<String> n = new LinkedHashSet<>();
        n.add(Counters.EVENTS);
        n.add(Counters.DEAD_LETTERS);
        n.add(Counters.DUPLICATES);
        n.add(Counters.ALERTS);
        n.addAll(AlertPriorityCounters.names());
        n.add(Counters.LATE_SIGNALS);
        n.add(Counters.STALE_SIGNALS);
        n.add(Counters.BUNDLES_ACCEPTED);
        n.add(Counters.BUNDLES_REJECTED);
        n.add(Counters.FILES_DONE);
        n.add(FINDINGS_DELIVERED);
        n.add(FINDINGS_RETRIED);
        n.add(FINDINGS_DEAD_LETTERED);
        n.add(LOG_EVENTS_DELIVERED);
        n.add(LOG_EVENTS_RETRIED);
        n.add(LOG_EVENTS_DEAD_LETTERED);
        NAMES = Collections.unmodifiableSet(n);
    }

    private MetricCatalog() {
    }

    /** Every exported name, in the order of the operations table. */
    public static Set<String> names() {
        return NAMES;
    }
}
