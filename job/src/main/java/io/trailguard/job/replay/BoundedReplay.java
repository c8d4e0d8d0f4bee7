package io.trailguard.job.replay;

import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.job.operators.RecordEvaluation;
import io.trailguard.job.bundle.RateStages;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.DeadLetter;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Replays files through the detection stages without a Flink cluster: what the bounded MiniCluster graph does, minus
 * its start-up (about 3 s before the first alert) and its network stack. Records are evaluated on worker threads
 * ({@link OrderedEvaluation}); everything after the evaluation runs on the calling thread, in input order.
 * <pre>
 * ReplayInput    ─▶ RecordEvaluation (unwrap + rules) ─▶ drop repeated events ─▶ single-event alerts ─▶ output
 *                                                                            └▶ signals ─▶ BoundedRateStage 1..n ─▶ rate alerts
 * </pre>
 * The stages are the streaming job's: {@link ReplayInput#documents} (the replay source's reader), {@link RecordEvaluation}
 * (inside the job's evaluator), and the rule engine's rate windows driven as the bounded rate operator drives them
 * ({@link BoundedRateStage}). Events repeat by {@link Evaluated#eventKey} as in the job's deduplicator: the first
 * occurrence with output wins, later ones within the dedup horizon (processing time) are dropped and counted.
 * Rules never change during a replay (no control stream).
 */
public final class BoundedReplay {
    /** Records between two progress reports' clock reads. */
    private static final int PROGRESS_STRIDE = 4096;

    /** The counts of a finished replay. */
    public static final class Counts {
        public long files;
        public long events;
        public long deadLetters;
        public long duplicates;
        public long alerts;
    }

    /** Told about progress about every {@link #intervalMillis()}. */
    public interface Progress {
        long intervalMillis();

        void update(Counts soFar);
    }

    private final RuleSet rules;
    private final long dedupHorizonNanos;
    private final LongSupplier clock;
    private final int evaluators;

    /**
     * Records are evaluated on one thread per processor ({@link OrderedEvaluation}), their results taken in input order.
     *
     * @param dedupHorizon as the job's deduplicator's (processing time)
     */
    public BoundedReplay(RuleBundle rules, MatchingMode matching, Duration dedupHorizon) {
        this(rules, matching, dedupHorizon, System::nanoTime, Runtime.getRuntime().availableProcessors());
    }

    /** @param evaluators threads evaluating records; 1: the calling thread evaluates them */
    BoundedReplay(RuleBundle bundle, MatchingMode matching, Duration dedupHorizon, LongSupplier nanoClock,
                  int evaluators) {
        this.evaluators = evaluators;
        CompiledBundle c = CompiledBundle.compile(bundle, matching);
        if (!c.ok()) {
            throw new IllegalStateException("the start-up rule bundle " + bundle.version() + " is invalid: "
                    + String.join("; ", c.errors()));
        }
        this.rules = c.ruleSet();
        this.dedupHorizonNanos = dedupHorizon.toNanos();
        this.clock = nanoClock;
    }

    /** Replays the inputs in order; every result goes to {@code out}. */
    public Counts run(List<ReplayInput> inputs, ReplayOutput out, Progress progress) {
        Counts counts = new Counts();
        Map<String, Long> seen = new HashMap<>();
        BoundedRateStage first = new BoundedRateStage(rules);
        long[] nextReport = {clock.getAsLong() + progress.intervalMillis() * 1_000_000L};
        int[] sinceCheck = {0};
        RecordEvaluation.Results results = new RecordEvaluation.Results() {
            @Override
            public void evaluated(Evaluated e) {
                counts.events++;
                if (!e.hasOutput()) {
                    return; // as in the job: only events with output reach the deduplicator
                }
                long now = clock.getAsLong();
                Long at = seen.get(e.eventKey);
                if (at != null && now - at < dedupHorizonNanos) {
                    counts.duplicates++;
                    return;
                }
                seen.put(e.eventKey, now);
                for (Alert a : e.alerts) {
                    counts.alerts++;
                    out.alert(a);
                }
                for (Signal s : e.signals) {
                    first.add(s);
                }
            }

            @Override
            public void deadLetter(DeadLetter d) {
                counts.deadLetters++;
                out.deadLetter(d);
            }
        };
        try (OrderedEvaluation evaluation = new OrderedEvaluation(rules, evaluators, results)) {
            for (ReplayInput input : inputs) {
                String shard = input.name();
                input.read(record -> {
                    evaluation.evaluate(record, shard);
                    if (++sinceCheck[0] == PROGRESS_STRIDE) {
                        sinceCheck[0] = 0;
                        long now = clock.getAsLong();
                        if (now >= nextReport[0]) {
                            progress.update(counts);
                            nextReport[0] = now + progress.intervalMillis() * 1_000_000L;
                        }
                    }
                });
                evaluation.flush();
                counts.files++;
            }
        }
        BoundedRateStage stage = first;
        for (int n = 1; n <= RateStages.STAGES; n++) {
            BoundedRateStage next = n < RateStages.STAGES ? new BoundedRateStage(rules) : null;
            stage.finish(a -> {
                counts.alerts++;
                out.alert(a);
            }, s -> {
                if (next != null) {
                    next.add(s);
                }
            });
            stage = next;
        }
        out.finish();
        return counts;
    }

    /** The compiled rules (for tests). */
    RuleSet rules() {
        return rules;
    }

    /** Progress that reports nothing. */
    public static Progress noProgress() {
        return new Progress() {
            @Override
            public long intervalMillis() {
                return Long.MAX_VALUE / 2_000_000L;
            }

            @Override
            public void update(Counts soFar) {
            }
        };
    }
}
