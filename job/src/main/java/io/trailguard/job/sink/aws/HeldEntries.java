package io.trailguard.job.sink.aws;

import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The entries a writer holds back because delivering them failed with a retryable error or the service is
 * unavailable: they are retried with backoff by the writer's redelivery loop until they are delivered or
 * dead-lettered. Held entries are part of the writer's checkpointed state ({@link #snapshot}), so the
 * {@code AsyncSinkWriter} request that failed can complete at once: the checkpoint barrier never waits for an outage
 * to end, and nothing is acknowledged that is not either delivered, dead-lettered, or in the checkpoint.
 *
 * <p>While anything is held, new batches join the queue instead of being sent on their own (the outage is probed by
 * one request at a time). When {@link #capacity} entries are held the writer's rate limiter blocks new requests
 * ({@link HoldingRateLimiter}), so the sink stops taking records and the job back-pressures up to the Kinesis
 * source. Thread-safe.
 */
final class HeldEntries<E> {
    /** An entry with the attempts it has made and when it first failed. */
    static final class Held<E> {
        final E entry;
        final long firstFailureMillis;
        int attempts;

        Held(E entry, int attempts, long firstFailureMillis) {
            this.entry = entry;
            this.attempts = attempts;
            this.firstFailureMillis = firstFailureMillis;
        }
    }

    private final int capacity;
    private final Deque<Held<E>> queue = new ArrayDeque<>();
    private final List<Held<E>> inAttempt = new ArrayList<>();

    HeldEntries(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Adds entries that failed {@code attempts} times (0: never sent, they only queue behind the outage). */
    synchronized void park(Collection<E> entries, int attempts, long now) {
        for (E e : entries) {
            queue.addLast(new Held<>(e, attempts, now));
        }
        notifyAll();
    }

    synchronized boolean isHolding() {
        return !queue.isEmpty() || !inAttempt.isEmpty();
    }

    synchronized int size() {
        return queue.size() + inAttempt.size();
    }

    synchronized boolean isFull() {
        return size() >= capacity;
    }

    /**
     * Waits up to {@code waitMillis} for held entries and takes the next batch (at most {@code maxCount} entries and
     * {@code maxBytes}); they stay in the snapshot until {@link #settle}. Empty when none arrived in time.
     */
    synchronized List<Held<E>> takeBatch(int maxCount, long maxBytes, ToLongFunction<E> size, long waitMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (queue.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return new ArrayList<>();
            }
            wait(left);
        }
        long bytes = 0;
        while (!queue.isEmpty() && inAttempt.size() < maxCount) {
            long s = size.applyAsLong(queue.peekFirst().entry);
            if (!inAttempt.isEmpty() && bytes + s > maxBytes) {
                break;
            }
            bytes += s;
            inAttempt.add(queue.pollFirst());
        }
        return new ArrayList<>(inAttempt);
    }

    /** Ends the attempt of the batch: {@code again} go back to the end of the queue, the rest are done. */
    synchronized void settle(List<Held<E>> again) {
        inAttempt.clear();
        queue.addAll(again);
        notifyAll();
    }

    /** Waits up to {@code millis} for the queue to empty; true when it is empty. */
    synchronized boolean awaitEmpty(long millis) throws InterruptedException {
        if (isHolding()) {
            wait(millis);
        }
        return !isHolding();
    }

    /** The held entries (those being attempted included) for the checkpoint. */
    synchronized List<RequestEntryWrapper<E>> snapshot(ToLongFunction<E> size) {
        List<RequestEntryWrapper<E>> out = new ArrayList<>(size());
        for (Held<E> h : inAttempt) {
            out.add(new RequestEntryWrapper<>(h.entry, size.applyAsLong(h.entry)));
        }
        for (Held<E> h : queue) {
            out.add(new RequestEntryWrapper<>(h.entry, size.applyAsLong(h.entry)));
        }
        return out;
    }
}
