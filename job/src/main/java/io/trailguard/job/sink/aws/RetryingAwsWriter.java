package io.trailguard.job.sink.aws;

import io.trailguard.job.metrics.ExportedMetrics;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part the Security Hub and CloudWatch Logs writers share. {@link AsyncSinkWriter} does the buffering, batching
 * by count and bytes, the time-based flush, the in-flight limit (backpressure) and the flush before every checkpoint;
 * this class runs each batch on a small I/O pool (one thread per allowed in-flight request) with a blocking AWS SDK
 * client and the sink's own retry loop ({@link #deliver}), and then completes the request. A batch therefore stays
 * in flight through its retries and backoff, so a checkpoint waits for it: an entry is either in the checkpointed
 * buffer, delivered, or dead-lettered, never dropped (at-least-once).
 */
abstract class RetryingAwsWriter<InputT, EntryT extends Serializable> extends AsyncSinkWriter<InputT, EntryT> {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingAwsWriter.class);

    /** A failure that must fail the job (bad credentials, missing permission, missing log group). */
    static final class FatalSinkException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalSinkException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    protected final RetryPolicy retry;
    protected final SinkDeadLetters deadLetters;
    protected final int subtask;
    private final ExecutorService io;
    protected final Counter deadLettered;
    protected final Counter retried;
    protected final Counter delivered;
    private final Counter numRecordsOutErrors;

    RetryingAwsWriter(ElementConverter<InputT, EntryT> converter, WriterInitContext context,
                      AsyncSinkWriterConfiguration config, Collection<BufferedRequestState<EntryT>> states,
                      RetryPolicy retry, SinkDeadLetters deadLetters, String threadName, String metricPrefix) {
        super(converter, context, config, states);
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        SinkWriterMetricGroup metrics = context.metricGroup();
        // exported to CloudWatch on Managed Flink; the names are in MetricCatalog (findings*, logEvents*)
        this.deadLettered = ExportedMetrics.counter(metrics, metricPrefix + "DeadLettered",
                new ThreadSafeSimpleCounter());
        this.retried = ExportedMetrics.counter(metrics, metricPrefix + "Retried", new ThreadSafeSimpleCounter());
        this.delivered = ExportedMetrics.counter(metrics, metricPrefix + "Delivered", new ThreadSafeSimpleCounter());
        this.numRecordsOutErrors = metrics.getNumRecordsOutErrorsCounter();
        int threads = config.getMaxInFlightRequests();
        AtomicInteger n = new AtomicInteger();
        String name = threadName + "-" + subtask;
        this.io = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Delivers the batch, retrying within the budget and dead-lettering what cannot be delivered. Blocks (it runs on
     * the I/O pool). Returns normally when every entry is delivered or dead-lettered.
     *
     * @throws FatalSinkException   to fail the job
     * @throws InterruptedException when the writer is closing
     */
    protected abstract void deliver(List<EntryT> batch) throws InterruptedException;

    @Override
    protected final void submitRequestEntries(List<EntryT> batch, ResultHandler<EntryT> result) {
        try {
            io.execute(() -> {
                try {
                    deliver(batch);
                    result.complete();
                } catch (FatalSinkException e) {
                    LOG.error("{} (subtask {}): failing the job", e.getMessage(), subtask, e);
                    result.completeExceptionally(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requeue(result, batch); // closing: the entries go back to the buffer
                } catch (RuntimeException | Error e) {
                    LOG.error("unexpected failure delivering {} entries (subtask {})", batch.size(), subtask, e);
                    result.completeExceptionally(e instanceof Exception ? (Exception) e : new RuntimeException(e));
                }
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

    /** Sleeps the backoff after failed attempt {@code attempt}. */
    protected final void backoff(int attempt, int entries) throws InterruptedException {
        retried.inc(entries);
        Thread.sleep(retry.backoffMillis(attempt));
    }

    protected final void deadLetter(DeadLetterRecord record) {
        deadLettered.inc();
        numRecordsOutErrors.inc();
        try {
            deadLetters.accept(record, subtask);
        } catch (RuntimeException e) {
            LOG.error("dead-letter handler failed for {}", record, e);
        }
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
        super.close();
        io.shutdownNow();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeClient();
    }
}
