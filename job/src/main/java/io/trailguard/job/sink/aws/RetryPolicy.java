package io.trailguard.job.sink.aws;

import io.trailguard.job.config.ConfigKey;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a sink retries: exponential backoff with jitter between attempts, capped at a maximum, the {@link RetryLimit}
 * (unlimited by default) and how often an ongoing failure is reported. The wait after the {@code n}-th consecutive
 * failure is uniformly random in {@code [d/2, d]} with {@code d = min(maxBackoff, initialBackoff * 2^(n-1))}
 * ("equal jitter": never zero, never synchronised between writers).
 */
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 2L;

    public static final long DEFAULT_INITIAL_BACKOFF_MS = 200;
    public static final long DEFAULT_MAX_BACKOFF_MS = ConfigKey.SINK_RETRY_MAX_BACKOFF.defaultDuration().toMillis();
    public static final long DEFAULT_REPORT_INTERVAL_MS =
            ConfigKey.SINK_RETRY_REPORT_INTERVAL.defaultDuration().toMillis();

    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final RetryLimit limit;
    private final long reportIntervalMs;

    public RetryPolicy(long initialBackoffMs, long maxBackoffMs, RetryLimit limit, long reportIntervalMs) {
        if (initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException("need 1 <= initialBackoff <= maxBackoff, got " + initialBackoffMs
                    + " and " + maxBackoffMs);
        }
        if (reportIntervalMs < 1) {
            throw new IllegalArgumentException("the report interval must be positive");
        }
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.limit = limit;
        this.reportIntervalMs = reportIntervalMs;
    }

    /** 200 ms doubling to 30 s, no limit, a report per minute. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_INITIAL_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS, RetryLimit.unlimited(),
                DEFAULT_REPORT_INTERVAL_MS);
    }

    /** Unlimited retries with this backoff (tests use milliseconds). */
    public static RetryPolicy backoff(long initialBackoffMs, long maxBackoffMs) {
        return new RetryPolicy(initialBackoffMs, maxBackoffMs, RetryLimit.unlimited(), DEFAULT_REPORT_INTERVAL_MS);
    }

    public RetryPolicy withMaxBackoff(Duration max) {
        long m = max.toMillis();
        return new RetryPolicy(Math.min(initialBackoffMs, Math.max(1, m)), m, limit, reportIntervalMs);
    }

    public RetryPolicy withLimit(RetryLimit l) {
        return new RetryPolicy(initialBackoffMs, maxBackoffMs, l, reportIntervalMs);
    }

    public RetryPolicy withReportInterval(Duration d) {
        return new RetryPolicy(initialBackoffMs, maxBackoffMs, limit, d.toMillis());
    }

    public long initialBackoffMs() {
        return initialBackoffMs;
    }

    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    public RetryLimit limit() {
        return limit;
    }

    public long reportIntervalMs() {
        return reportIntervalMs;
    }

    /** The wait after the {@code failures}-th consecutive failure (1-based). */
    public long backoffMillis(int failures) {
        int shift = Math.min(30, Math.max(0, failures - 1));
        long d = Math.min(maxBackoffMs, initialBackoffMs << shift);
        long half = d / 2;
        return half + ThreadLocalRandom.current().nextLong(d - half + 1);
    }

    @Override
    public String toString() {
        return "RetryPolicy{backoff=" + initialBackoffMs + ".." + maxBackoffMs + "ms, limit=" + limit + "}";
    }
}
