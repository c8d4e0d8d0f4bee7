package io.trailguard.job.operators;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.metrics.Counters;
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
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Unwraps raw input into CloudTrail events and evaluates the single-event rules on each, in one step so that every
 * event is parsed once. Emits one {@link Evaluated} per event (alerts or not) for the deduplicator, dead letters on
 * {@link Descriptors#DEAD_LETTERS}, and rule status records on {@link Descriptors#RULE_STATUS}.
 *
 * <p>Rules: the broadcast state ({@link Descriptors#RULES}) holds the last accepted bundle; until there is one, the
 * start-up bundle of the {@link ActiveRules} is used. A bundle on the broadcast input is decided by
 * {@link ActiveRules#offer}: a valid one replaces the state (so every instance switches) and is reported as
 * {@code accepted}, an invalid one is reported as {@code rejected} and changes nothing, one older than the start-up
 * bundle is skipped. The compiled {@link RuleSet} is rebuilt from the state after a restore.
 */
public final class RuleEvaluator extends BroadcastProcessFunction<RawRecord, RuleBundle, Evaluated> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);

    private final ActiveRules rules;

    /** The evaluation context of the active rule set (rebuilt when the rules change). */
    private transient EvaluationContext context;
    private transient boolean rateRules;
    private transient EventUnwrapper unwrapper;
    private transient Evaluation evaluation;
    private transient SourceShards shards;
    private transient boolean reportedActive;
    private transient boolean bundleReceived;
    private transient int subtask;
    private transient Counters.Both events;
    private transient Counters.Both deadLetters;
    private transient Counters.Both bundlesAccepted;
    private transient Counters.Both bundlesRejected;

    /** @param rules the start-up bundle and the acceptance of bundles from the broadcast input */
    public RuleEvaluator(ActiveRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        rules.start();
        useActiveRuleSet();
        unwrapper = new EventUnwrapper();
        evaluation = new Evaluation();
        shards = new SourceShards();
        events = Counters.register(getRuntimeContext(), Counters.EVENTS);
        deadLetters = Counters.register(getRuntimeContext(), Counters.DEAD_LETTERS);
        bundlesAccepted = Counters.register(getRuntimeContext(), Counters.BUNDLES_ACCEPTED);
        bundlesRejected = Counters.register(getRuntimeContext(), Counters.BUNDLES_REJECTED);
    }

    @Override
    public void processElement(RawRecord record, ReadOnlyContext ctx, Collector<Evaluated> out) throws Exception {
        ReadOnlyBroadcastState<String, String> state = ctx.getBroadcastState(Descriptors.RULES);
        String hash = state.get(Descriptors.ACTIVE_HASH);
        if (rules.isBehind(hash)) {
            switchToState(state);
        }
        if (!reportedActive) {
            reportedActive = true;
            String detail = hash == null ? "start-up rules" : bundleReceived ? "rules from the control stream"
                    : "restored from checkpoint";
            if (rules.ruleSet().size() == 0) {
                detail = CompiledBundle.disabledDetail(rules.bundle()) + "; " + detail;
            }
            ctx.output(Descriptors.RULE_STATUS, status(RuleStatus.ACTIVE, rules.bundle(), rules.ruleSet().size(),
                    Collections.emptyList(), Collections.emptyList(), detail));
        }
        evaluation.bind(ctx, out, shards.of(record.origin));
        if (record.failure != null) {
            evaluation.deadLetter(DeadLetter.of(record.origin, record.failure, record.data));
        } else {
            unwrapper.unwrap(record.data, record.origin, evaluation);
        }
    }

    /** Compiles the bundle in the broadcast state (after a restore, or when another path changed it). */
    private void switchToState(ReadOnlyBroadcastState<String, String> state) throws Exception {
        RuleBundle b = rules.restore(state.get(Descriptors.ACTIVE_BUNDLE));
        useActiveRuleSet();
        LOG.info("subtask {}: rule bundle {} ({}) active from state, {} rules", subtask, b.version(), b.shortHash(),
                rules.ruleSet().size());
    }

    private void useActiveRuleSet() {
        context = rules.ruleSet().newContext();
        rateRules = rules.ruleSet().hasRateRules();
    }

    @Override
    public void processBroadcastElement(RuleBundle bundle, Context ctx, Collector<Evaluated> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(Descriptors.RULES);
        ActiveRules.Offer offer = rules.offer(bundle, state.get(Descriptors.ACTIVE_HASH) != null);
        RuleBundle previous = offer.previous();
        if (offer.outcome() == ActiveRules.Outcome.OLDER_THAN_STARTUP) {
            LOG.info("subtask {}: skipping rule bundle {} from {}: older than the start-up bundle {} from {}",
                    subtask, bundle.version(), bundle.origin(), rules.startupBundle().version(),
                    rules.startupBundle().origin());
            return;
        }
        bundleReceived = true;
        CompiledBundle c = offer.compiled();
        RuleStatus status;
        if (offer.outcome() == ActiveRules.Outcome.REJECTED) {
            status = status(RuleStatus.REJECTED, bundle, -1, c.errors(), c.warnings(),
                    "rules unchanged: " + previous.version() + " (" + previous.shortHash() + ") stays active");
            bundlesRejected.inc();
            LOG.warn("{}", status.summary());
        } else {
            state.put(Descriptors.ACTIVE_BUNDLE, bundle.toStateJson());
            state.put(Descriptors.ACTIVE_HASH, bundle.hash());
            String detail = bundle.hash().equals(previous.hash()) ? "same rules as the active bundle"
                    : "replaces " + previous.version() + " (" + previous.shortHash() + ")";
            if (c.detectionDisabled()) {
                detail = CompiledBundle.disabledDetail(bundle) + "; " + detail;
            }
            useActiveRuleSet();
            status = status(RuleStatus.ACCEPTED, bundle, c.ruleCount(), Collections.emptyList(), c.warnings(), detail);
            bundlesAccepted.inc();
            if (c.detectionDisabled()) {
                LOG.warn("{}", status.summary());
            } else {
                LOG.info("{}", status.summary());
            }
        }
        ctx.output(Descriptors.RULE_STATUS, status);
    }

    private RuleStatus status(String what, RuleBundle b, int rules, List<String> errors, List<String> warnings,
                              String detail) {
        return new RuleStatus(what, b.version(), b.hash(), rules, errors, warnings, System.currentTimeMillis(),
                subtask, b.origin(), detail);
    }

    /** The identity used for deduplication: eventID, else a hash of the record's content. */
    static String eventKey(CloudTrailEvent e) {
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

    /** Receives the unwrapper's events and dead letters for the record being processed. */
    private final class Evaluation implements EventSink {
        private ReadOnlyContext ctx;
        private Collector<Evaluated> out;
        private String shard;

        void bind(ReadOnlyContext context, Collector<Evaluated> collector, String sourceShard) {
            this.ctx = context;
            this.out = collector;
            this.shard = sourceShard;
        }

        @Override
        public void event(CloudTrailEvent e) {
            events.inc();
            List<Signal> signals = rateRules ? new ArrayList<>(1) : null;
            List<Alert> alerts = rules.ruleSet().evaluate(e, context, signals);
            Evaluated evaluated = new Evaluated(eventKey(e), e.timeMillis(), alerts,
                    signals == null ? Collections.emptyList() : signals);
            evaluated.source = shard;
            out.collect(evaluated);
        }

        @Override
        public void deadLetter(DeadLetter d) {
            deadLetters.inc();
            ctx.output(Descriptors.DEAD_LETTERS, d);
        }
    }
}
