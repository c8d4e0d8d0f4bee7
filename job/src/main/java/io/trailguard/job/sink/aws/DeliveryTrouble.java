package io.trailguard.job.sink.aws;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The current delivery trouble of one writer: since when its held entries have been failing, how many attempts in a
 * row made no progress (the backoff exponent), and its reports: one WARN per interval for retryable errors, one ERROR
 * per interval while the service is unavailable, and one INFO when delivery works again. Never one line per retry.
 */
final class DeliveryTrouble {
    private final Logger log;
    private final String service;
    private final String target;
    private final String noun;
    private final RetryPolicy retry;
    private final ThrottledLog warn;
    private final ThrottledLog error;
    private final AtomicLong since = new AtomicLong();
    private final AtomicInteger streak = new AtomicInteger();
    private final AtomicLong failedAttempts = new AtomicLong();

    /**
     * @param service "Security Hub"
     * @param target  where it is sent ("region eu-west-1", "endpoint http://...")
     * @param noun    what is pending ("findings")
     */
    DeliveryTrouble(Logger log, String service, String target, String noun, RetryPolicy retry) {
        this.log = log;
        this.service = service;
        this.target = target;
        this.noun = noun;
        this.retry = retry;
        this.warn = new ThrottledLog(retry.reportIntervalMs());
        this.error = new ThrottledLog(retry.reportIntervalMs());
    }

    /** The held entries made some progress: the backoff starts small again. */
    void progress() {
        streak.set(0);
    }

    /**
     * An attempt left entries undelivered; reports when an interval has passed and returns the number of attempts in
     * a row without progress (for the backoff).
     *
     * @param unavailableText the ERROR text for an unavailable service (it knows the region, account and remedy)
     */
    int failed(DeliveryFailure f, long pending, long now, Supplier<String> unavailableText) {
        since.compareAndSet(0, now);
        failedAttempts.incrementAndGet();
        int n = streak.incrementAndGet();
        long lasting = now - since.get();
        if (f.unavailable()) {
            if (error.due(now)) {
                log.error("{} ({} {} pending for {}; {})", unavailableText.get(), pending, noun, human(lasting), f);
            }
        } else if (warn.due(now)) {
            log.warn("{} delivery is failing ({}): {}; {} {} pending for {}, {} failed attempts so far; retrying with "
                            + "backoff up to {} (sink.retry.limit: {})", service, target, f, pending, noun,
                    human(lasting), failedAttempts.get(), human(retry.maxBackoffMs()), retry.limit());
        }
        return n;
    }

    /** Nothing is held any more: logs the recovery once. */
    void recovered(long now) {
        long s = since.getAndSet(0);
        streak.set(0);
        long attempts = failedAttempts.getAndSet(0);
        warn.reset();
        error.reset();
        if (s != 0) {
            log.info("{} delivery recovered ({}) after {} and {} failed attempts", service, target, human(now - s),
                    attempts);
        }
    }

    /** How long the current trouble has lasted, 0 without trouble (a gauge). */
    long lastingMillis(long now) {
        long s = since.get();
        return s == 0 ? 0 : now - s;
    }

    static String human(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (millis < 10_000) {
            return millis + " ms";
        }
        if (millis < 3_600_000) {
            return d.getSeconds() + " s";
        }
        return String.format("%dh%02dm", d.toHours(), d.toMinutes() % 60);
    }
}
