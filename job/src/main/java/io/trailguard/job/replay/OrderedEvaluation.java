package io.trailguard.job.replay;

import io.trailguard.job.operators.RecordEvaluation;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.DeadLetter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RecordEvaluation} of a replay's records on worker threads, its results handed to the calling thread's
 * {@link RecordEvaluation.Results} in input order: what follows (deduplication, alerts, rate signals, dead letters)
 * sees the results exactly as one thread evaluating the records in turn would give them. Records go to the workers in
 * batches of {@value #BATCH}; at most two batches per worker are in flight, so memory stays bounded whatever the input
 * size. With one evaluator, the calling thread evaluates each record itself. Each worker has its own
 * {@link RecordEvaluation} (it holds an evaluation context); the compiled rules are shared, as the streaming job's
 * parallel evaluators share them.
 */
final class OrderedEvaluation implements AutoCloseable {
    static final int BATCH = 256;

    private final RuleSet rules;
    private final RecordEvaluation.Results out;
    private final RecordEvaluation here;
    private final ExecutorService workers;
    private final ThreadLocal<RecordEvaluation> perWorker;
    private final int maxInFlight;
    private final ArrayDeque<Future<List<Object>>> inFlight = new ArrayDeque<>();
    private List<RawRecord> filling = new ArrayList<>(BATCH);
    private String fillingShard;

    OrderedEvaluation(RuleSet rules, int evaluators, RecordEvaluation.Results out) {
        this.rules = rules;
        this.out = out;
        if (evaluators <= 1) {
            this.here = new RecordEvaluation(rules);
            this.workers = null;
            this.perWorker = null;
            this.maxInFlight = 0;
            return;
        }
        this.here = null;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(evaluators, r -> {
            Thread t = new Thread(r, "replay-evaluator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.perWorker = ThreadLocal.withInitial(() -> new RecordEvaluation(this.rules));
        this.maxInFlight = 2 * evaluators;
    }

    /** Evaluates one record of {@code shard}; its results, and those of earlier records, reach {@code out} in order. */
    void evaluate(RawRecord record, String shard) {
        if (workers == null) {
            here.evaluate(record, shard, out);
            return;
        }
        if (!filling.isEmpty() && !shard.equals(fillingShard)) {
            submit();
        }
        fillingShard = shard;
        filling.add(record);
        if (filling.size() == BATCH) {
            submit();
        }
        while (inFlight.size() > maxInFlight || (!inFlight.isEmpty() && inFlight.peekFirst().isDone())) {
            deliver(inFlight.pollFirst());
        }
    }

    /** Waits for every record given so far; their results have reached {@code out} when this returns. */
    void flush() {
        if (workers == null) {
            return;
        }
        if (!filling.isEmpty()) {
            submit();
        }
        while (!inFlight.isEmpty()) {
            deliver(inFlight.pollFirst());
        }
    }

    private void submit() {
        List<RawRecord> batch = filling;
        String shard = fillingShard;
        filling = new ArrayList<>(BATCH);
        inFlight.addLast(workers.submit(() -> evaluateBatch(batch, shard)));
    }

    /** On a worker: the batch's results in order, each an {@link Evaluated} or a {@link DeadLetter}. */
    private List<Object> evaluateBatch(List<RawRecord> batch, String shard) {
        List<Object> results = new ArrayList<>(batch.size() + 4);
        RecordEvaluation.Results collect = new RecordEvaluation.Results() {
            @Override
            public void evaluated(Evaluated e) {
                results.add(e);
            }

            @Override
            public void deadLetter(DeadLetter d) {
                results.add(d);
            }
        };
        RecordEvaluation evaluation = perWorker.get();
        for (RawRecord r : batch) {
            evaluation.evaluate(r, shard, collect);
        }
        return results;
    }

    private void deliver(Future<List<Object>> batch) {
        List<Object> results;
        try {
            results = batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating the replay", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
        for (Object r : results) {
            if (r instanceof Evaluated) {
                out.evaluated((Evaluated) r);
            } else {
                out.deadLetter((DeadLetter) r);
            }
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
