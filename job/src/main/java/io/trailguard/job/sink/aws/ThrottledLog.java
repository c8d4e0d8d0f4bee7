package io.trailguard.job.sink.aws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one message through per interval, however many threads and batches report the same condition: an outage that
 * fails a thousand requests a minute logs one line a minute, not a thousand. Thread-safe.
 */
final class ThrottledLog {
    private final long intervalMs;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    ThrottledLog(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /**
     * Whether the caller should log now; when it should, {@link #takeSuppressed()} tells how many reports were
     * swallowed since the last line.
     */
    boolean due(long nowMillis) {
        long next = nextAllowed.get();
        if (nowMillis >= next && nextAllowed.compareAndSet(next, nowMillis + intervalMs)) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    long takeSuppressed() {
        return suppressed.getAndSet(0);
    }

    /** The condition is over: the next report logs at once. */
    void reset() {
        nextAllowed.set(Long.MIN_VALUE);
        suppressed.set(0);
    }
}
