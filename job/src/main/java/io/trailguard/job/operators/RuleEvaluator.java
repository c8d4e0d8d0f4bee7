package io.trailguard.job.operators;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private transient RecordEvaluation evaluation;
    private transient Results results;
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
        evaluation = new RecordEvaluation(rules.ruleSet());
        results = new Results();
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
        RuleBundle restored = BroadcastRules.follow(rules, state);
        if (restored != null) {
            useActiveRuleSet();
            LOG.info("subtask {}: rule bundle {} ({}) active from state, {} rules", subtask, restored.version(),
                    restored.shortHash(), rules.ruleSet().size());
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
        results.bind(ctx, out);
        evaluation.evaluate(record, record.shard != null ? record.shard : shards.of(record.origin), results);
    }

    private void useActiveRuleSet() {
        evaluation.use(rules.ruleSet());
    }

    @Override
    public void processBroadcastElement(RuleBundle bundle, Context ctx, Collector<Evaluated> out) throws Exception {
        ActiveRules.Offer offer = BroadcastRules.offer(rules, bundle, ctx.getBroadcastState(Descriptors.RULES));
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

    /** Counts what the evaluation of the current record produced and sends it on. */
    private final class Results implements RecordEvaluation.Results {
        private ReadOnlyContext ctx;
        private Collector<Evaluated> out;

        void bind(ReadOnlyContext context, Collector<Evaluated> collector) {
            this.ctx = context;
            this.out = collector;
        }

        @Override
        public void evaluated(Evaluated e) {
            events.inc();
            out.collect(e);
        }

        @Override
        public void deadLetter(DeadLetter d) {
            deadLetters.inc();
            ctx.output(Descriptors.DEAD_LETTERS, d);
        }
    }
}
