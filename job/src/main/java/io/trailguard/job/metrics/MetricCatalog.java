package io.trailguard.job.metrics;


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
    /** Delivery attempts to Security Hub that failed, and (gauges) findings pending, held, and the outage length. */
    public static final String FINDINGS_FAILED_ATTEMPTS = "findingsFailedAttempts";
    public static final String FINDINGS_PENDING = "findingsPending";
    public static final String FINDINGS_HELD = "findingsHeld";
    public static final String FINDINGS_FAILING_FOR_MS = "findingsFailingForMs";
    /** Alert and rule status lines written to CloudWatch Logs (delivered, retried, given up). */
    public static final String LOG_EVENTS_DELIVERED = "logEventsDelivered";
    public static final String LOG_EVENTS_RETRIED = "logEventsRetried";
    public static final String LOG_EVENTS_DEAD_LETTERED = "logEventsDeadLettered";
    /** The same for CloudWatch Logs. */
    public static final String LOG_EVENTS_FAILED_ATTEMPTS = "logEventsFailedAttempts";
    public static final String LOG_EVENTS_PENDING = "logEventsPending";
    public static final String LOG_EVENTS_HELD = "logEventsHeld";
    public static final String LOG_EVENTS_FAILING_FOR_MS = "logEventsFailingForMs";

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
        n.add(FINDINGS_FAILED_ATTEMPTS);
        n.add(FINDINGS_PENDING);
        n.add(FINDINGS_HELD);
        n.add(FINDINGS_FAILING_FOR_MS);
        n.add(LOG_EVENTS_DELIVERED);
        n.add(LOG_EVENTS_RETRIED);
        n.add(LOG_EVENTS_DEAD_LETTERED);
        n.add(LOG_EVENTS_FAILED_ATTEMPTS);
        n.add(LOG_EVENTS_PENDING);
        n.add(LOG_EVENTS_HELD);
        n.add(LOG_EVENTS_FAILING_FOR_MS);
        NAMES = Collections.unmodifiableSet(n);
    }

    private MetricCatalog() {
    }

    /** Every exported name, in the order of the operations table. */
    public static Set<String> names() {
        return NAMES;
    }
}
