package io.trailguard.job.metrics;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * Names of the job's counters. Each is both a Flink metric, exported to CloudWatch on Managed Flink
 * ({@link ExportedMetrics}; a new name goes into {@link MetricCatalog} and the operations
 * table), and an accumulator (read by {@code replay} for its progress line and closing summary).
 */
public final class Counters {
    /** CloudTrail events unwrapped from the input. */
    public static final String EVENTS = "eventsRead";
    /** Input that became a dead letter. */
    public static final String DEAD_LETTERS = "deadLetters";
    /** Repeated events (same eventID within the dedup horizon) dropped before their alerts were emitted. */
    public static final String DUPLICATES = "duplicatesDropped";
    /** Alerts emitted after deduplication. */
    public static final String ALERTS = "alertsEmitted";
    /** Rate-rule signals later than the watermark minus the allowed lateness (dead-lettered as late). */
    public static final String LATE_SIGNALS = "lateSignals";
    /** Rate-rule signals of a rule definition not active in the rate operator (a bundle switch in flight). */
    public static final String STALE_SIGNALS = "staleSignals";
    /** Rule bundles from the control stream accepted, per rule-evaluator subtask (each subtask decides). */
    public static final String BUNDLES_ACCEPTED = "bundlesAccepted";
    /** Rule bundles from the control stream rejected (invalid, bad hash or signature), per rule-evaluator subtask. */
    public static final String BUNDLES_REJECTED = "bundlesRejected";
    /** Input files fully read by the replay source. */
    public static final String FILES_DONE = "filesDone";

    private Counters() {
    }

    /** A metric counter and an accumulator under one name, incremented together. */
    public static final class Both {
        private final Counter metric;
        private final LongCounter accumulator;

        private Both(Counter metric, LongCounter accumulator) {
            this.metric = metric;
            this.accumulator = accumulator;
        }

        public void inc() {
            metric.inc();
            accumulator.add(1L);
        }

        public void inc(long n) {
            metric.inc(n);
            accumulator.add(n);
        }
    }

    /** Registers {@code name} as an exported metric of the operator and as a job accumulator. */
    public static Both register(RuntimeContext ctx, String name) {
        LongCounter acc = new LongCounter();
        ctx.addAccumulator(name, acc);
        return new Both(ExportedMetrics.counter(ctx.getMetricGroup(), name), acc);
    }

    /**
     * A metric counter of a sink writer (sink writers have no runtime context, so no accumulator); thread-safe, as the
     * AWS sinks count from their I/O threads.
     */
    public static Counter sinkCounter(MetricGroup group, String name) {
        return ExportedMetrics.counter(group, name, new ThreadSafeSimpleCounter());
    }

    /** A gauge of a sink writer, exported like the counters. */
    public static <T> Gauge<T> sinkGauge(MetricGroup group, String name, Gauge<T> gauge) {
        return ExportedMetrics.gauge(group, name, gauge);
    }
}
