package io.trailguard.job.sink.aws;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The retry budget of a sink: how many attempts an entry gets, and the exponential backoff with jitter between them.
 * The wait before attempt {@code n+1} is uniformly random in {@code [d/2, d]} with
 * {@code d = min(maxBackoff, initialBackoff * 2^(n-1))} ("equal jitter": never zero, never synchronised).
 */
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final long DEFAULT_INITIAL_BACKOFF_MS = 200;
    public static final long DEFAULT_MAX_BACKOFF_MS = 10_000;

    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    public RetryPolicy(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException("need 1 <= initialBackoff <= maxBackoff, got " + initialBackoffMs
                    + " and " + maxBackoffMs);
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    /** 10 attempts, 200 ms doubling to 10 s: about 40 s of waiting at most before a dead letter. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS);
    }

    public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff.toMillis(), maxBackoff.toMillis());
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public long initialBackoffMs() {
        return initialBackoffMs;
    }

    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public long backoffMillis(int attempt) {
        int shift = Math.min(30, Math.max(0, attempt - 1));
        long d = Math.min(maxBackoffMs, initialBackoffMs << shift);
        long half = d / 2;
        return half + ThreadLocalRandom.current().nextLong(d - half + 1);
    }

    /** The longest total wait of a full budget (used to size the request timeout). */
    public long worstCaseWaitMillis() {
        long total = 0;
        for (int a = 1; a < maxAttempts; a++) {
            total += Math.min(maxBackoffMs, initialBackoffMs << Math.min(30, a - 1));
        }
        return total;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + initialBackoffMs + ".." + maxBackoffMs + "ms}";
    }
}
