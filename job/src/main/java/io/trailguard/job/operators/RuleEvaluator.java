package io.trailguard.job.operators;

import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
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
 * start-up bundle given to the constructor is used. A bundle on the broadcast input is hash-checked and compiled; a
 * valid one replaces the state (so every instance switches), an invalid one is reported as {@code rejected} and
 * changes nothing. The compiled {@link RuleSet} is cached per hash in a transient field and rebuilt from the state
 * after a restore.
 *
 * <p>While the state is empty, bundles older than the start-up bundle on the same shard are skipped: at first start
 * the control stream is replayed from its beginning, and the start-up bundle is already the newest valid one there
 * (see {@code ControlStreamBootstrap}); replaying older bundles would briefly roll the rules back.
 */
public final class RuleEvaluator extends BroadcastProcessFunction<RawRecord, RuleBundle, Evaluated> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);

    private final RuleBundle startupBundle;
    private final MatchingMode matching;
    private final BundleVerifier verifier;

    private transient ActiveRules active;
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

    public RuleEvaluator(RuleBundle startupBundle, MatchingMode matching) {
        this(startupBundle, matching, BundleVerifier.none());
    }

    /** @param verifier checks the signature of every bundle from the broadcast input (not of the start-up bundle) */
    public RuleEvaluator(RuleBundle startupBundle, MatchingMode matching, BundleVerifier verifier) {
        this.startupBundle = startupBundle;
        this.matching = matching;
        this.verifier = verifier == null ? BundleVerifier.none() : verifier;
    }

    /** The compiled rules in use and the hash of their bundle. */
    private static final class ActiveRules {
        final RuleBundle bundle;
        final RuleSet ruleSet;
        final EvaluationContext context;
        final boolean rateRules;

        ActiveRules(RuleBundle bundle, RuleSet ruleSet) {
            this.bundle = bundle;
            this.ruleSet = ruleSet;
            this.context = ruleSet.newContext();
            this.rateRules = ruleSet.hasRateRules();
        }

        String hash() {
            return bundle.hash();
        }
    }

    @Override
    public void open(OpenContext openContext) {
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        CompiledBundle compiled = CompiledBundle.compile(startupBundle, matching);
        if (!compiled.ok()) {
            throw new IllegalStateException("the start-up rule bundle " + startupBundle.version() + " is invalid: "
                    + String.join("; ", compiled.errors()));
        }
        active = new ActiveRules(startupBundle, compiled.ruleSet());
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
        if (hash != null && !hash.equals(active.hash())) {
            switchToState(state);
        }
        if (!reportedActive) {
            reportedActive = true;
            String detail = hash == null ? "start-up rules" : bundleReceived ? "rules from the control stream"
                    : "restored from checkpoint";
            if (active.ruleSet.size() == 0) {
                detail = CompiledBundle.disabledDetail(active.bundle) + "; " + detail;
            }
            ctx.output(Descriptors.RULE_STATUS, status(RuleStatus.ACTIVE, active.bundle, active.ruleSet.size(),
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
        RuleBundle b = RuleBundle.fromStateJson(state.get(Descriptors.ACTIVE_BUNDLE));
        CompiledBundle c = CompiledBundle.compile(b, matching);
        if (!c.ok()) {
            // Accepted once, so this only happens if the engine changed incompatibly between versions of the job.
            throw new IllegalStateException("the rule bundle " + b.version() + " in state no longer compiles: "
                    + String.join("; ", c.errors()));
        }
        active = new ActiveRules(b, c.ruleSet());
        LOG.info("subtask {}: rule bundle {} ({}) active from state, {} rules", subtask, b.version(), b.shortHash(),
                c.ruleCount());
    }

    @Override
    public void processBroadcastElement(RuleBundle bundle, Context ctx, Collector<Evaluated> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(Descriptors.RULES);
        if (state.get(Descriptors.ACTIVE_HASH) == null
                && StreamPosition.isBefore(bundle.origin(), startupBundle.origin())) {
            LOG.info("subtask {}: skipping rule bundle {} from {}: older than the start-up bundle {} from {}",
                    subtask, bundle.version(), bundle.origin(), startupBundle.version(), startupBundle.origin());
            return;
        }
        bundleReceived = true;
        CompiledBundle c = CompiledBundle.compile(bundle, matching, verifier);
        RuleStatus status;
        if (!c.ok()) {
            status = status(RuleStatus.REJECTED, bundle, -1, c.errors(), c.warnings(),
                    "rules unchanged: " + active.bundle.version() + " (" + active.bundle.shortHash() + ") stays active");
            bundlesRejected.inc();
            LOG.warn("{}", status.summary());
        } else {
            state.put(Descriptors.ACTIVE_BUNDLE, bundle.toStateJson());
            state.put(Descriptors.ACTIVE_HASH, bundle.hash());
            String detail = bundle.hash().equals(active.hash()) ? "same rules as the active bundle"
                    : "replaces " + active.bundle.version() + " (" + active.bundle.shortHash() + ")";
            if (c.detectionDisabled()) {
                detail = CompiledBundle.disabledDetail(bundle) + "; " + detail;
            }
            active = new ActiveRules(bundle, c.ruleSet());
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
            List<Signal> signals = active.rateRules ? new ArrayList<>(1) : null;
            List<Alert> alerts = active.ruleSet.evaluate(e, active.context, signals);
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
