package io.trailguard.job.sink.aws;

import io.trailguard.job.metrics.Counters;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part the Security Hub and CloudWatch Logs writers share: delivery that waits instead of dropping.
 *
 * <p>{@link AsyncSinkWriter} does the buffering, batching by count and bytes, the time-based flush and the in-flight
 * limit. Each batch gets one attempt ({@link #attempt}) on a small I/O pool with a blocking AWS SDK client. What that
 * attempt leaves undelivered for a retryable reason, or because the service is unavailable, goes to
 * {@link HeldEntries} and the request completes; a single redelivery thread retries the held entries, one batch at a
 * time, with exponential backoff capped at {@code sink.retry.max_backoff}, for as long as the {@link RetryLimit}
 * allows (by default without limit). Contracts:
 * <ul>
 *   <li>every entry is delivered, dead-lettered (refused as invalid, or past a configured limit), or in the
 *       checkpointed state: the buffer and the held entries are both snapshotted ({@link #snapshotState}); a dead
 *       letter that cannot be written keeps its entry held;</li>
 *   <li>a checkpoint never waits for an outage: requests end after one attempt, so the pre-barrier flush waits for
 *       one attempt at most;</li>
 *   <li>while entries are held new batches queue behind them, and when {@link HeldEntries#capacity} are held the
 *       writer blocks ({@link HoldingRateLimiter}): the job back-pressures instead of growing memory;</li>
 *   <li>the end of a bounded input ({@code flush(true)}) waits until nothing is held;</li>
 *   <li>bad credentials fail the job ({@link FatalSinkException}; the entries are in the last checkpoint).</li>
 * </ul>
 * Reports: one WARN (retryable) or ERROR (unavailable) per report interval, never one per retry
 * ({@link DeliveryTrouble}); metrics {@code PREFIXDelivered}, {@code PREFIXRetried}, {@code PREFIXDeadLettered},
 * {@code PREFIXFailedAttempts}, and the gauges {@code PREFIXPending} (written, not yet delivered or dead-lettered),
 * {@code PREFIXHeld} and {@code PREFIXFailingForMs}.
 */
abstract class RetryingAwsWriter<InputT, EntryT extends Serializable> extends AsyncSinkWriter<InputT, EntryT> {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingAwsWriter.class);

    /** A failure that must fail the job (bad credentials). */
    static final class FatalSinkException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalSinkException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What one attempt at a batch left to do; filled by {@link #attempt}. Used by one thread at a time. */
    protected final class Attempt {
        private final List<EntryT> retry = new ArrayList<>();
        private DeliveryFailure failure;
        private EntryT sample;
        /** Which attempt this is (1 for a first try; the most tried entry's count in a redelivery). */
        private final int attempts;

        private Attempt(int attempts) {
            this.attempts = attempts;
        }

        /** The entries were accepted by the service. */
        void delivered(int n) {
            delivered.inc(n);
        }

        /** The entries stay pending for {@code why}; an unavailable-service failure wins over a retryable one. */
        void retry(Collection<EntryT> entries, DeliveryFailure why) {
            if (entries.isEmpty()) {
                return;
            }
            retry.addAll(entries);
            if (failure == null || (why.unavailable() && !failure.unavailable())) {
                failure = why;
                sample = entries.iterator().next();
            }
        }

        /** The service is unavailable for the entries: held or dead-lettered as configured. */
        void unavailable(Collection<EntryT> entries, DeliveryFailure why) {
            if (onUnavailable == OnUnavailable.DEAD_LETTER) {
                deadLetterAll(entries, why.code, why.message);
            } else {
                retry(entries, why);
            }
        }

        /** The service refused the entries as invalid (or their limit is reached): dead letters. */
        void deadLetterAll(Collection<EntryT> entries, String code, String error) {
            if (entries.isEmpty()) {
                return;
            }
            LOG.warn("dead-lettering {} {} for {}: {}: {}", entries.size(), noun, service, code, error);
            long now = System.currentTimeMillis();
            for (EntryT e : entries) {
                DeadLetter r = deadLetter(e, code, error, attempts, now);
                try {
                    deadLetters.accept(r, subtask);
                    deadLettered.inc();
                    numRecordsOutErrors.inc();
                } catch (RuntimeException ex) {
                    // never lose it: the entry stays held and is retried, and so is its dead letter
                    if (deadLetterFailures.due(now)) {
                        LOG.error("cannot write the dead letter of a {} entry; it stays pending and is retried: {}",
                                service, AwsErrors.message(ex), ex);
                    }
                    retry(Collections.singletonList(e), new DeliveryFailure(DeliveryFailure.Kind.RETRYABLE,
                            "DeadLetterFailed", AwsErrors.message(ex)));
                }
            }
        }
    }

    protected final RetryPolicy retry;
    protected final SinkDeadLetters deadLetters;
    protected final int subtask;
    private final OnUnavailable onUnavailable;
    private final String service;
    private final String noun;
    private final HeldEntries<EntryT> held;
    private final DeliveryTrouble trouble;
    private final ThrottledLog deadLetterFailures;
    private final int maxBatchSize;
    private final long maxBatchBytes;
    private final MailboxExecutor mailbox;
    private final ExecutorService io;
    private final Thread redelivery;
    private volatile boolean closed;
    private final Counter deadLettered;
    private final Counter retried;
    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter numRecordsOutErrors;
    private final AtomicLong written = new AtomicLong();

    /**
     * @param service what the logs call the service ("Security Hub")
     * @param target  where it is ("region eu-west-1" or "endpoint URL")
     * @param noun    what an entry is ("findings")
     */
    RetryingAwsWriter(ElementConverter<InputT, EntryT> converter, WriterInitContext context,
                      AsyncSinkWriterConfiguration config, Collection<BufferedRequestState<EntryT>> states,
                      HeldEntries<EntryT> held, RetryPolicy retry, SinkDeadLetters deadLetters,
                      OnUnavailable onUnavailable, String threadName, String metricPrefix, String service,
                      String target, String noun) {
        super(converter, context, config, states);
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.onUnavailable = onUnavailable;
        this.held = held;
        this.service = service;
        this.noun = noun;
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.trouble = new DeliveryTrouble(LOG, service, target, noun, retry);
        this.deadLetterFailures = new ThrottledLog(retry.reportIntervalMs());
        this.maxBatchSize = config.getMaxBatchSize();
        this.maxBatchBytes = config.getMaxBatchSizeInBytes();
        this.mailbox = context.getMailboxExecutor();
        for (BufferedRequestState<EntryT> s : states) {
            written.addAndGet(s.getBufferedRequestEntries().size());
        }
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.deadLettered = Counters.sinkCounter(metrics, metricPrefix + "DeadLettered");
        this.retried = Counters.sinkCounter(metrics, metricPrefix + "Retried");
        this.delivered = Counters.sinkCounter(metrics, metricPrefix + "Delivered");
        this.failedAttempts = Counters.sinkCounter(metrics, metricPrefix + "FailedAttempts");
        Counters.sinkGauge(metrics, metricPrefix + "Pending", this::pendingCount);
        Counters.sinkGauge(metrics, metricPrefix + "Held", held::size);
        Counters.sinkGauge(metrics, metricPrefix + "FailingForMs",
                () -> trouble.lastingMillis(System.currentTimeMillis()));
        this.numRecordsOutErrors = metrics.getNumRecordsOutErrorsCounter();
        int threads = config.getMaxInFlightRequests();
        AtomicInteger n = new AtomicInteger();
        String name = threadName + "-" + subtask;
        this.io = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.redelivery = new Thread(this::redeliver, name + "-redelivery");
        this.redelivery.setDaemon(true);
        this.redelivery.start();
    }

    /**
     * The {@link AsyncSinkWriter} configuration of an AWS sink: the given limits, the {@link HoldingRateLimiter}
     * over {@code held}, and a request timeout that one attempt (with its splits) never reaches.
     */
    static AsyncSinkWriterConfiguration configuration(int maxBatchSize, long maxBatchBytes, int maxInFlight,
                                                      int maxBuffered, long maxTimeInBufferMs, long maxRecordBytes,
                                                      HeldEntries<?> held) {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(maxBatchSize)
                .setMaxBatchSizeInBytes(maxBatchBytes)
                .setMaxInFlightRequests(maxInFlight)
                .setMaxBufferedRequests(maxBuffered)
                .setMaxTimeInBufferMS(maxTimeInBufferMs)
                .setMaxRecordSizeInBytes(maxRecordBytes)
                .setRequestTimeoutMS(Long.MAX_VALUE / 4) // an attempt ends by itself (SDK timeouts); never resent
                .setFailOnTimeout(false)
                .setRateLimitingStrategy(new HoldingRateLimiter(maxInFlight, maxBatchSize, held))
                .build();
    }

    /**
     * One attempt at every entry of the batch (a refused batch may be split and its parts sent within the attempt).
     * Reports delivered entries, entries to retry and dead letters into {@code attempt}. Blocks (it runs on the I/O
     * pool or the redelivery thread).
     *
     * @throws FatalSinkException   to fail the job
     * @throws InterruptedException when the writer is closing
     */
    protected abstract void attempt(List<EntryT> batch, Attempt attempt) throws InterruptedException;

    /** The dead letter of {@code entry}. */
    protected abstract DeadLetter deadLetter(EntryT entry, String code, String error, int attempts,
                                                         long now);

    /** The ERROR text while the service is unavailable for {@code sample} (what is wrong, what to do). */
    protected abstract String unavailableText(DeliveryFailure failure, EntryT sample);

    @Override
    public void write(InputT element, Context context) throws IOException, InterruptedException {
        written.incrementAndGet();
        super.write(element, context);
    }

    @Override
    protected final void submitRequestEntries(List<EntryT> batch, ResultHandler<EntryT> result) {
        if (held.isHolding()) {
            // an outage is being retried: queue behind it instead of hammering the service with a second probe
            held.park(batch, 0, System.currentTimeMillis());
            result.complete();
            return;
        }
        try {
            io.execute(() -> {
                Attempt a = new Attempt(1);
                try {
                    attempt(batch, a);
                } catch (FatalSinkException e) {
                    LOG.error("{} (subtask {}): failing the job", e.getMessage(), subtask, e);
                    result.completeExceptionally(e);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requeue(result, batch); // closing: the entries go back to the buffer
                    return;
                } catch (RuntimeException | Error e) {
                    LOG.error("unexpected failure delivering {} {} (subtask {})", batch.size(), noun, subtask, e);
                    result.completeExceptionally(e instanceof Exception ? (Exception) e : new RuntimeException(e));
                    return;
                }
                if (!a.retry.isEmpty()) {
                    held.park(a.retry, 1, System.currentTimeMillis()); // before complete(): always in a snapshot
                    retried.inc(a.retry.size());
                    failedAttempts.inc();
                }
                result.complete();
            });
        } catch (RejectedExecutionException e) {
            requeue(result, batch); // the pool is shut down: the writer is closing
        }
    }

    /** Puts the batch back; a closed mailbox refuses, and the restart from the last checkpoint resends the batch. */
    private static <T> void requeue(ResultHandler<T> result, List<T> batch) {
        try {
            result.retryForEntries(batch);
        } catch (RuntimeException e) {
            LOG.debug("could not requeue {} entries while closing", batch.size(), e);
        }
    }

    /** The redelivery loop: retries the held entries, one batch at a time, with backoff, until the writer closes. */
    private void redeliver() {
        try {
            while (!closed) {
                List<HeldEntries.Held<EntryT>> batch =
                        held.takeBatch(maxBatchSize, maxBatchBytes, this::getSizeInBytes, 1_000);
                if (batch.isEmpty()) {
                    continue;
                }
                redeliver(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the held entries are in the last checkpoint
        }
    }

    private void redeliver(List<HeldEntries.Held<EntryT>> batch) throws InterruptedException {
        List<EntryT> entries = new ArrayList<>(batch.size());
        int attempts = 0;
        for (HeldEntries.Held<EntryT> h : batch) {
            entries.add(h.entry);
            attempts = Math.max(attempts, h.attempts + 1);
        }
        Attempt a = new Attempt(attempts);
        try {
            attempt(entries, a);
        } catch (FatalSinkException e) {
            held.settle(batch); // still held, and in the last checkpoint
            LOG.error("{} (subtask {}): failing the job", e.getMessage(), subtask, e);
            getFatalExceptionCons().accept(e);
            closed = true;
            return;
        } catch (RuntimeException | Error e) {
            held.settle(batch);
            LOG.error("unexpected failure delivering {} {} (subtask {})", entries.size(), noun, subtask, e);
            getFatalExceptionCons().accept(e instanceof Exception ? (Exception) e : new RuntimeException(e));
            closed = true;
            return;
        }
        long now = System.currentTimeMillis();
        Set<EntryT> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        failed.addAll(a.retry);
        List<HeldEntries.Held<EntryT>> again = new ArrayList<>();
        List<EntryT> overLimit = new ArrayList<>();
        for (HeldEntries.Held<EntryT> h : batch) {
            if (failed.contains(h.entry)) {
                h.attempts++;
                if (retry.limit().reached(h.attempts, now - h.firstFailureMillis)) {
                    overLimit.add(h.entry);
                } else {
                    again.add(h);
                }
            }
        }
        if (!overLimit.isEmpty()) {
            Attempt limit = new Attempt(attempts);
            limit.deadLetterAll(overLimit, a.failure.code, "retry limit (" + retry.limit() + ") reached: "
                    + a.failure.message);
            Set<EntryT> kept = Collections.newSetFromMap(new IdentityHashMap<>());
            kept.addAll(limit.retry);
            for (HeldEntries.Held<EntryT> h : batch) {
                if (kept.contains(h.entry)) {
                    again.add(h);
                }
            }
        }
        boolean progress = again.size() < batch.size();
        held.settle(again);
        if (progress) {
            trouble.progress();
            wakeWriter(); // a writer blocked on a full hold can go on
        }
        if (!held.isHolding()) {
            trouble.recovered(now);
            return;
        }
        if (!again.isEmpty()) {
            retried.inc(again.size());
            failedAttempts.inc();
            DeliveryFailure f = a.failure;
            EntryT sample = a.sample;
            int streak = trouble.failed(f, pendingCount(), now, () -> unavailableText(f, sample));
            Thread.sleep(retry.backoffMillis(streak));
        }
    }

    /** A no-op mail: the task thread, waiting in {@code yield()} for the hold to have room, looks again. */
    private void wakeWriter() {
        try {
            mailbox.execute(() -> { }, "%s held entries delivered", service);
        } catch (RuntimeException e) {
            LOG.debug("mailbox closed", e);
        }
    }

    /** Written (or restored) entries neither delivered nor dead-lettered yet: buffered, in flight or held. */
    public long pendingCount() {
        return Math.max(0, written.get() - delivered.getCount() - deadLettered.getCount());
    }

    /** Attempts (requests) that left entries undelivered for a retryable reason or an unavailable service. */
    public long failedAttemptCount() {
        return failedAttempts.getCount();
    }

    /** Entries held for redelivery. */
    public int heldCount() {
        return held.size();
    }

    @Override
    public void flush(boolean flush) throws InterruptedException {
        super.flush(flush);
        if (flush) {
            // the end of the input: wait for the held entries (an outage makes this wait; nothing is dropped)
            while (held.isHolding() && !closed) {
                if (!mailbox.tryYield()) {
                    held.awaitEmpty(50);
                }
            }
        }
    }

    @Override
    public List<BufferedRequestState<EntryT>> snapshotState(long checkpointId) {
        List<BufferedRequestState<EntryT>> states = new ArrayList<>(super.snapshotState(checkpointId));
        states.add(new BufferedRequestState<>(held.snapshot(this::getSizeInBytes)));
        return states;
    }

    /** Entries dead-lettered by this writer. */
    public long deadLetteredCount() {
        return deadLettered.getCount();
    }

    /** Entry attempts that were repeated. */
    public long retriedCount() {
        return retried.getCount();
    }

    /** Entries the service accepted. */
    public long deliveredCount() {
        return delivered.getCount();
    }

    /** Releases the client. */
    protected abstract void closeClient();

    @Override
    public void close() {
        closed = true;
        super.close();
        redelivery.interrupt();
        io.shutdownNow();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
            redelivery.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeClient();
    }
}
