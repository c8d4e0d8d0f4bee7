package io.trailguard.job.sink.aws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one message through per interval, however many threads and batches report the same condition: an outage that
 * fails a thousand requests a minute logs one line a minute, not a thousand. Thread-safe.
 */
final class ThrottledLog {
    private final long intervalMs;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);

    ThrottledLog(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** Whether the caller should log now (at most once per interval). */
    boolean due(long nowMillis) {
        long next = nextAllowed.get();
        return nowMillis >= next && nextAllowed.compareAndSet(next, nowMillis + intervalMs);
    }

    /** The condition is over: the next report logs at once. */
    void reset() {
        nextAllowed.set(Long.MIN_VALUE);
    }
}
