package io.trailguard.job.pipeline;

import io.trailguard.job.bundle.RateStages;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.operators.AlertEvidence;
import io.trailguard.job.operators.EvidenceKey;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.job.operators.IncidentOperator;
import io.trailguard.job.serde.IncidentTypes;
import io.trailguard.job.operators.AlertsOf;
import io.trailguard.job.operators.BundleAssembler;
import io.trailguard.job.operators.CountAlerts;
import io.trailguard.job.operators.Deduplicator;
import io.trailguard.job.operators.Descriptors;
import io.trailguard.job.operators.EventKey;
import io.trailguard.job.operators.HasOutput;
import io.trailguard.job.operators.NoControlStream;
import io.trailguard.job.operators.NoEventTime;
import io.trailguard.job.operators.RateDescriptors;
import io.trailguard.job.operators.RateRuleOperator;
import io.trailguard.job.operators.RuleEvaluator;
import io.trailguard.job.operators.ShardClock;
import io.trailguard.job.operators.ShardEventTime;
import io.trailguard.job.operators.SignalKey;
import io.trailguard.job.operators.SignalsOf;
import io.trailguard.job.serde.AlertKryoSerializer;
import io.trailguard.job.serde.AlertTypeInfo;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.RateKeyTypeInfo;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.incident.Evidence;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.runtime.kryo.JavaSerializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.flink.util.Collector;

import java.util.List;

/**
 * Builds the detection graph from its sources and outputs, so that the command line, the Managed Flink job and the
 * tests share one topology:
 * <pre>
 * events ─rebalance─▶ RuleEvaluator (unwrap + single-event rules, broadcast rules) ─▶ ShardEventTime ─▶ with output
 *   ─keyBy(eventKey)─▶ Deduplicator ─▶ alerts ─────────────────────────────────────────────────────────────▶ outputs
 *                    └▶ rate signals ─keyBy(rule, group)─▶ RateRuleOperator stage 1..3 ─▶ rate alerts ─┘
 *   each alert ─▶ evidence (in the alert's own task) ─keyBy(principal)─▶ IncidentOperator ─▶ incident alerts
 *   ─▶ outputs
 *   alerts ─keyBy(finding id)─▶ FindingTimesStamper ─▶ finding outputs (OCSF, Security Lake, Security Hub)
 * control (p=1) ─▶ BundleAssembler (p=1) ─▶ NoEventTime ─broadcast─┘
 * </pre>
 * Event time is made in one place: {@link ShardEventTime} keeps a per-shard clock ({@link ShardClock}) from the
 * evaluated events' times and origins; the rule bundles are taken out of event time ({@link NoEventTime}), so no
 * operator's event time ever comes from them.
 * <pre>
 * side outputs: dead letters (RuleEvaluator), rule status (RuleEvaluator, BundleAssembler)
 * </pre>
 * Stable operator uids: {@code bundle-assembler}, {@code rule-evaluator}, {@code event-time},
 * {@code events-with-output}, {@code deduplicator}, {@code alerts}, {@code rate-rules-N}, {@code rate-alerts-N},
 * {@code incident-evidence} (of the single-event alerts), {@code incident-evidence-rate-N}, {@code incidents},
 * {@code incident-alerts}, {@code finding-times} (only with a finding output, {@link DetectionStreams#findings});
 * {@code events-no-bundles} and {@code bundle-event-time} (without a control stream, instead of
 * {@code bundle-watermarks}); sources set theirs ({@code events-source},
 * {@code control-source}), outputs theirs ({@code sink-*}).
 */
public final class DetectionPipeline {
    private DetectionPipeline() {
    }

    /**
     * Adds the graph to {@code env}.
     *
     * @param events  raw input documents (Kinesis records, replay files)
     * @param control control-stream records, or null when the rules never change (replay)
     * @param outputs where alerts, rule status and dead letters go
     */
    public static DetectionStreams build(StreamExecutionEnvironment env, DataStream<RawRecord> events,
                                         DataStream<RawRecord> control, PipelineSettings settings,
                                         List<? extends PipelineOutput> outputs) {
        registerTypes(env);
        boolean noControlStream = control == null;
        if (noControlStream) {
            control = env.fromSource(new NoControlStream(), WatermarkStrategy.noWatermarks(), "No control stream",
                            TypeInformation.of(RawRecord.class))
                    .setParallelism(1).name("No control stream").uid("no-control-source");
        }
        SingleOutputStreamOperator<RuleBundle> bundles = control
                .transform("Assemble rule bundles", TypeInformation.of(RuleBundle.class),
                        new BundleAssembler(settings.chunkTimeout())).setParallelism(1)
                .name("Assemble rule bundles").uid("bundle-assembler");
        DataStream<RuleBundle> bundleInput = bundles;
        if (noControlStream) {
            // The bundle source finishes at once. A job restored from a snapshot taken after that deploys the
            // finished tasks as finished, and they send the end-of-time watermark straight out, past any operator
            // of their own chain: had NoEventTime been one of them, every broadcast consumer whose events input is
            // idle (a quiet stream after a restart) would take the end of time as its event time, decide every window
            // and make every later event late. Joined with the events (which give no bundle), NoEventTime's task
            // ends only when the events end, is never deployed as finished, and drops that watermark as any other.
            // at the events' own parallelism, so it is chained to their source and no event crosses to it
            bundleInput = bundles.union(events.flatMap(new NoBundles()).returns(bundles.getType())
                    .setParallelism(events.getParallelism())
                    .name("Events carry no rule bundles").uid("events-no-bundles"));
        }
        BroadcastStream<RuleBundle> rules = bundleInput
                .transform("Rule bundles carry no event time", bundles.getType(), new NoEventTime<RuleBundle>())
                // without a control stream, a uid of its own: a snapshot of a job from before the join above holds
                // this operator as finished (in the bundle source's chain), and Flink refuses to run a finished
                // operator after one that is not; under a new uid that empty finished state is left behind
                .setParallelism(1).uid(noControlStream ? "bundle-event-time" : "bundle-watermarks")
                .broadcast(Descriptors.RULES);

        SingleOutputStreamOperator<Evaluated> evaluated = events
                .rebalance()
                .connect(rules)
                .process(new RuleEvaluator(settings.activeRules()))
                .name("Unwrap events and evaluate rules").uid("rule-evaluator");

        DataStream<DeadLetter> deadLetters = evaluated.getSideOutput(Descriptors.DEAD_LETTERS);
        DataStream<RuleStatus> ruleStatus = evaluated.getSideOutput(Descriptors.RULE_STATUS)
                .union(bundles.getSideOutput(Descriptors.RULE_STATUS));

        // Every event moves event time; only events with alerts or rate signals travel on (most events have
        // neither): a repeat of an event that produced nothing has nothing to drop.
        DataStream<Evaluated> timed = evaluated
                .transform("Event time per shard", evaluated.getType(), new ShardEventTime(
                        settings.outOfOrderness().toMillis(), settings.idleness().toMillis(), settings.bounded()))
                .uid("event-time")
                .filter(new HasOutput())
                .name("Events with output").uid("events-with-output");

        SingleOutputStreamOperator<Evaluated> unique = timed
                .keyBy(new EventKey())
                .process(new Deduplicator(settings.dedupHorizon()))
                .name("Drop duplicate events").uid("deduplicator");

        DataStream<Alert> singleEventAlerts = unique
                .flatMap(new AlertsOf()).returns(AlertTypeInfo.INSTANCE)
                .name("Alerts").uid("alerts");
        DataStream<Alert> alerts = singleEventAlerts;
        // Each alert becomes incident evidence in the task that made it (chained, the alert is not serialised
        // again for it); the evidence streams meet at the incident stage's keyBy.
        DataStream<Evidence> evidence = evidenceOf(singleEventAlerts, "incident-evidence");

        // Keyed rate-rule path: the deduplicated events' signals, keyed by (rule, group), counted in event-time
        // windows; firings of rules that correlations are chained on feed the next stage.
        DataStream<Signal> signals = unique.flatMap(new SignalsOf()).name("Rate signals").uid("rate-signals");
        for (int stage = 1; stage <= RateStages.STAGES; stage++) {
            SingleOutputStreamOperator<Alert> rated = signals
                    .keyBy(new SignalKey(), RateKeyTypeInfo.INSTANCE)
                    .connect(rules)
                    .process(new RateRuleOperator(settings.activeRules(), settings.bounded(),
                            settings.allowedLateness().toMillis(), stage))
                    .returns(AlertTypeInfo.INSTANCE)
                    .name("Rate rules (stage " + stage + ")").uid("rate-rules-" + stage);
            DataStream<Alert> rateAlerts = rated.flatMap(new CountAlerts()).returns(AlertTypeInfo.INSTANCE)
                    .name("Rate alerts " + stage).uid("rate-alerts-" + stage);
            alerts = alerts.union(rateAlerts);
            evidence = evidence.union(evidenceOf(rateAlerts, "incident-evidence-rate-" + stage));
            deadLetters = deadLetters.union(rated.getSideOutput(Descriptors.DEAD_LETTERS));
            signals = rated.getSideOutput(RateDescriptors.CHAINED);
        }

        // Incident stage: every alert (single-event and rate) as evidence, keyed by its acting principal; raised
        // incidents join the alerts (they are never evidence themselves).
        SingleOutputStreamOperator<Alert> incidents = evidence
                .keyBy(new EvidenceKey())
                .connect(rules)
                .process(new IncidentOperator(settings.activeRules(), settings.bounded(),
                        settings.allowedLateness().toMillis()))
                .returns(AlertTypeInfo.INSTANCE)
                .name("Incidents").uid("incidents");
        alerts = alerts.union(incidents.flatMap(new CountAlerts()).returns(AlertTypeInfo.INSTANCE)
                .name("Incident alerts").uid("incident-alerts"));
        deadLetters = deadLetters.union(incidents.getSideOutput(Descriptors.DEAD_LETTERS));

        DetectionStreams streams = new DetectionStreams(alerts, ruleStatus, deadLetters, settings.findingTimesTtl());
        for (PipelineOutput o : outputs) {
            o.attach(streams);
        }
        return streams;
    }

    /** Gives no rule bundle for any event: it only keeps the bundle input's task running while the events run. */
    private static final class NoBundles implements FlatMapFunction<RawRecord, RuleBundle> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(RawRecord event, Collector<RuleBundle> out) {
            // nothing: see the class comment
        }
    }

    /** The incident evidence of {@code alerts}, chained to the operator that emits them. */
    private static DataStream<Evidence> evidenceOf(DataStream<Alert> alerts, String uid) {
        return alerts.flatMap(new AlertEvidence(FindingMapper::findingId)).returns(IncidentTypes.EvidenceType.INSTANCE)
                .name("Incident evidence").uid(uid);
    }

    /**
     * Serialisers for the engine's value classes that are not Flink POJOs: {@link Alert}, on every alerting event's
     * path, field by field ({@link AlertKryoSerializer}); dead letters, bundles and status records, which are rare,
     * with Java serialisation (they are {@link java.io.Serializable}).
     */
    public static void registerTypes(StreamExecutionEnvironment env) {
        registerTypes(env.getConfig());
    }

    /** The same, for an operator test harness's configuration. */
    public static void registerTypes(ExecutionConfig config) {
        config.registerTypeWithKryoSerializer(Alert.class, AlertKryoSerializer.class);
        config.registerTypeWithKryoSerializer(DeadLetter.class, JavaSerializer.class);
        config.registerTypeWithKryoSerializer(RuleBundle.class, JavaSerializer.class);
        config.registerTypeWithKryoSerializer(RuleStatus.class, JavaSerializer.class);
    }
}
