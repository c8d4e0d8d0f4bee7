package io.trailguard.job.sink.aws;

import io.trailguard.job.config.Durations;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * When a sink stops retrying an entry that keeps failing with a retryable error: never ({@link #unlimited()}, the
 * default: an outage of any length loses nothing, the job waits), after a number of attempts, or after the entry has
 * been failing for a duration. An entry that reaches its limit is dead-lettered with the last error; the count of
 * attempts and the time start at the entry's first failure in this writer (a restore from a checkpoint starts again).
 */
public final class RetryLimit implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final RetryLimit UNLIMITED = new RetryLimit(0, 0);

    private final int maxAttempts;
    private final long maxMillis;

    private RetryLimit(int maxAttempts, long maxMillis) {
        this.maxAttempts = maxAttempts;
        this.maxMillis = maxMillis;
    }

    public static RetryLimit unlimited() {
        return UNLIMITED;
    }

    /** At most {@code attempts} attempts per entry (at least 1). */
    public static RetryLimit attempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("a retry limit needs at least 1 attempt, got " + attempts);
        }
        return new RetryLimit(attempts, 0);
    }

    /** Retries for at most {@code d} after an entry's first failure (positive). */
    public static RetryLimit duration(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a retry time limit must be positive, got " + d);
        }
        return new RetryLimit(0, d.toMillis());
    }

    /** {@code unlimited}, a number of attempts ({@code 20}) or a duration ({@code 15m}, {@code 1h}, {@code PT2H}). */
    public static RetryLimit parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("unlimited") || s.equals("none")) {
            return UNLIMITED;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return attempts(Integer.parseInt(s));
        }
        try {
            return duration(Durations.parse(spec.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected `unlimited`, a number of attempts or a duration, got '"
                    + spec + "'");
        }
    }

    public boolean isUnlimited() {
        return maxAttempts == 0 && maxMillis == 0;
    }

    /** Whether an entry that has made {@code attempts} attempts and failed for {@code failingMillis} is done. */
    public boolean reached(int attempts, long failingMillis) {
        return (maxAttempts > 0 && attempts >= maxAttempts) || (maxMillis > 0 && failingMillis >= maxMillis);
    }

    @Override
    public String toString() {
        if (isUnlimited()) {
            return "unlimited";
        }
        return maxAttempts > 0 ? maxAttempts + " attempts" : Duration.ofMillis(maxMillis).toString();
    }
}
