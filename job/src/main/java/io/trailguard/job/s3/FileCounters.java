package io.trailguard.job.s3;

import io.trailguard.job.metrics.ExportedMetrics;
import io.trailguard.job.metrics.MetricCatalog;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The S3-notification source's counters (names in {@link MetricCatalog}), by what happened to each file. */
final class FileCounters {
    final Counter read;
    final Counter deadLettered;
    final Counter skippedDigest;
    final Counter skippedNotCloudTrail;
    final Counter skippedFiltered;
    final Counter notificationsSkipped;
    final Counter notificationsUnrecognised;
    final Counter messagesDeleted;

    private FileCounters(MetricGroup g, boolean enumerator) {
        if (enumerator) {
            read = null;
            deadLettered = null;
            skippedDigest = ExportedMetrics.counter(g, MetricCatalog.S3_FILES_SKIPPED_DIGEST);
            skippedNotCloudTrail = ExportedMetrics.counter(g, MetricCatalog.S3_FILES_SKIPPED_NOT_CLOUDTRAIL);
            skippedFiltered = ExportedMetrics.counter(g, MetricCatalog.S3_FILES_SKIPPED_FILTERED);
            notificationsSkipped = ExportedMetrics.counter(g, MetricCatalog.S3_NOTIFICATIONS_SKIPPED);
            notificationsUnrecognised = ExportedMetrics.counter(g, MetricCatalog.S3_NOTIFICATIONS_UNRECOGNISED);
            messagesDeleted = ExportedMetrics.counter(g, MetricCatalog.S3_MESSAGES_DELETED);
        } else {
            read = ExportedMetrics.counter(g, MetricCatalog.S3_FILES_READ);
            deadLettered = ExportedMetrics.counter(g, MetricCatalog.S3_FILES_DEAD_LETTERED);
            skippedDigest = null;
            skippedNotCloudTrail = null;
            skippedFiltered = null;
            notificationsSkipped = null;
            notificationsUnrecognised = null;
            messagesDeleted = null;
        }
    }

    static FileCounters enumerator(MetricGroup g) {
        return new FileCounters(g, true);
    }

    static FileCounters reader(MetricGroup g) {
        return new FileCounters(g, false);
    }
}
