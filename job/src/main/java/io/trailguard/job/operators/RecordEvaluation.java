package io.trailguard.job.operators;

import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.field.EvaluationContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The first stage of detection, plain Java: one raw record unwrapped into its CloudTrail events, each evaluated
 * against the single-event rules (and, when the rules have any, the rate rules' conditions for signals) into one
 * {@link Evaluated}; a record that is not readable becomes a dead letter. The streaming job runs it inside
 * {@link RuleEvaluator}; the bounded replay executor runs it directly, so both evaluate events with the same code.
 * One instance per thread (it holds the unwrapper and the evaluation context).
 */
public final class RecordEvaluation {
    /** Where the results of one record go. */
    public interface Results {
        void evaluated(Evaluated e);

        void deadLetter(DeadLetter d);
    }

    private final EventUnwrapper unwrapper = new EventUnwrapper();
    private final Events events = new Events();
    private RuleSet rules;
    private EvaluationContext context;
    private boolean rateRules;

    public RecordEvaluation(RuleSet rules) {
        use(rules);
    }

    /** Evaluates the following records against these rules (a new bundle became active). */
    public void use(RuleSet next) {
        this.rules = next;
        this.context = next.newContext();
        this.rateRules = next.hasRateRules();
    }

    /** Evaluates one record; {@code shard} is the input it came from (for event time), set on each result. */
    public void evaluate(RawRecord record, String shard, Results out) {
        events.bind(shard, out);
        if (record.failure != null) {
            out.deadLetter(DeadLetter.of(record.origin, record.failure, record.data));
        } else {
            unwrapper.unwrap(record.data, record.origin, events);
        }
    }

    /** The identity used for deduplication: eventID, else a hash of the record's content. */
    public static String eventKey(CloudTrailEvent e) {
        String id = e.eventId();
        if (id != null && !id.isEmpty()) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(e.record().toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder("sha256:");
            for (int i = 0; i < 16; i++) {
                b.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    /** Receives the unwrapper's events and dead letters for the record being evaluated. */
    private final class Events implements EventSink {
        private String shard;
        private Results out;

        void bind(String sourceShard, Results results) {
            this.shard = sourceShard;
            this.out = results;
        }

        @Override
        public void event(CloudTrailEvent e) {
            List<Signal> signals = rateRules ? new ArrayList<>(1) : null;
            List<Alert> alerts = rules.evaluate(e, context, signals);
            Evaluated evaluated = new Evaluated(eventKey(e), e.timeMillis(), alerts,
                    signals == null ? Collections.emptyList() : signals);
            evaluated.source = shard;
            out.evaluated(evaluated);
        }

        @Override
        public void deadLetter(DeadLetter d) {
            out.deadLetter(d);
        }
    }
}
