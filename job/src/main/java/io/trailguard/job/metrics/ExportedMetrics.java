package io.trailguard.job.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The one place the job registers its metrics. Managed Service for Apache Flink publishes to CloudWatch only the
 * metrics of a user group named {@value #GROUP} (namespace {@code AWS/KinesisAnalytics}, dimension
 * {@code Application}, plus task/operator dimensions at finer metrics levels); every counter of the job is
 * therefore registered in that group, directly under the operator's group. No further user groups are added: on
 * Managed Flink each one would become a CloudWatch dimension and the Terraform alarms would no longer match.
 *
 * <p>Only names of {@link MetricCatalog} can be registered, so the operations table
 * ({@code deployment/managed-flink/README.md}) and the alarms cannot silently miss a counter.
 */
public final class ExportedMetrics {
    /** The metric group Managed Flink exports to CloudWatch. */
    public static final String GROUP = "KinesisAnalytics";

    private ExportedMetrics() {
    }

    /** The exported group below {@code operatorGroup}. */
    public static MetricGroup group(MetricGroup operatorGroup) {
        return operatorGroup.addGroup(GROUP);
    }

    /** A counter named {@code name} in the exported group of {@code operatorGroup}. */
    public static Counter counter(MetricGroup operatorGroup, String name) {
        return group(operatorGroup).counter(known(name));
    }

    /** {@code counter} registered as {@code name} in the exported group of {@code operatorGroup}. */
    public static <C extends Counter> C counter(MetricGroup operatorGroup, String name, C counter) {
        return group(operatorGroup).counter(known(name), counter);
    }

    /** {@code gauge} registered as {@code name} in the exported group of {@code operatorGroup}. */
    public static <T, G extends Gauge<T>> G gauge(MetricGroup operatorGroup, String name, G gauge) {
        return group(operatorGroup).gauge(known(name), gauge);
    }

    private static String known(String name) {
        if (!MetricCatalog.names().contains(name)) {
            throw new IllegalArgumentException("metric " + name + " is not in MetricCatalog: add it there and to "
                    + "the metric table of deployment/managed-flink/README.md");
        }
        return name;
    }
}
