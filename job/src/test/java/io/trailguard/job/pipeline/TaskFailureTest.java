package io.trailguard.job.pipeline;

import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.sink.aws.FakeAwsEndpoint;
import io.trailguard.job.sink.aws.FindingMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.CollectingOutput;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task fails mid-stream (after a checkpoint, with events and a rate-rule burst in flight) and Flink restarts the
 * job from that checkpoint: afterwards every alert of an undisturbed run is present (repeats allowed: at-least-once
 * outputs), and the rate rule fired exactly as undisturbed (same rule, group, count, window start).
 */
class TaskFailureTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final String RATE = String.join("\n",
            "- rule: Describe Burst",
            "  desc: d",
            "  condition: ct.name = \"DescribeInstances\"",
            "  aggregate: {type: event_count, group_by: [ct.srcip], timespan: 10m, gte: 40}",
            "  output: '%aggregate.count describes from %ct.srcip'",
            "  priority: WARNING",
            "  source: aws_cloudtrail",
            "");

    static List<RawRecord> events() {
        List<RawRecord> out = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String time = String.format("2026-02-01T10:%02d:%02dZ", i / 60, i % 60);
            ObjectNode e = i % 2 == 0 ? TestEvents.record("iam.amazonaws.com", "CreateUser", "u" + i, time)
                    : TestEvents.record("ec2.amazonaws.com", "DescribeInstances", "d" + i, time);
            e.put("sourceIPAddress", "198.51.100.7");
            out.add(TestEvents.raw(TestEvents.envelope(e), "shard-0:" + i));
        }
        return out;
    }

    static List<String> run(boolean fail) throws Exception {
        return run(fail, null);
    }

    /** With {@code securityHub}, alerts also go to Security Hub at that (fault-injecting) endpoint. */
    static List<String> run(boolean fail, FakeAwsEndpoint securityHub) throws Exception {
        FailOnce.reset(fail);
        RuleBundle rules = TestRules.basePlus("rates", "rates.yaml", RATE);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 100));
        DataStream<RawRecord> events = env.addSource(new FailOnce(60), "slow source failing once",
                TypeInformation.of(RawRecord.class)).setParallelism(1);
        CollectingOutput out = new CollectingOutput();
        List<PipelineOutput> outputs = new ArrayList<>();
        outputs.add(out);
        if (securityHub != null) {
            TrailguardConfig config = TrailguardConfig.empty()
                    .with("aws.region", "us-east-1").with("aws.endpoint", securityHub.endpoint())
                    .with("securityhub.flush", "100ms");
            outputs.addAll(AlertOutputs.create(List.of("securityhub"),
                    AlertOutputs.Mode.RUN, "test", config));
        }
        DetectionPipeline.build(env, events, null, PipelineSettings.streaming(rules), outputs);
        env.execute("task failure " + fail);
        assertThat(FailOnce.FAILED.get()).isEqualTo(fail);
        return out.alerts();
    }

    @Test
    void aFailedTaskRestoredFromItsCheckpointLosesNoAlert() throws Exception {
        List<String> undisturbed = run(false);
        List<String> recovered = run(true);
        Set<String> expected = keys(undisturbed);
        assertThat(expected).hasSize(61); // 60 CreateUser alerts and one burst
        assertThat(single(recovered)).isEqualTo(single(undisturbed));
        List<Alert> burst = recovered.stream().map(Alert::fromJson).filter(a -> a.rule().equals("Describe Burst"))
                .collect(Collectors.toList());
        Alert reference = undisturbed.stream().map(Alert::fromJson).filter(a -> a.rule().equals("Describe Burst"))
                .findFirst().get();
        // in streaming mode the anchoring event of a burst depends on arrival order across subtasks; what a finding
        // is made of (rule, group, window start) and the count do not
        assertThat(burst).isNotEmpty().allSatisfy(a -> {
            assertThat(a.aggregate().get("group")).isEqualTo(reference.aggregate().get("group"));
            assertThat(a.aggregate().get("window_start")).isEqualTo(reference.aggregate().get("window_start"));
            assertThat(a.aggregate().get("count")).isEqualTo(reference.aggregate().get("count"));
        });
    }

    /**
     * The same failure while Security Hub throttles, fails and resets connections: every finding of an undisturbed
     * run is imported (re-imports of the same finding id allowed), with valid ASFF.
     */
    @Test
    void aFailedTaskWithAFaultySecurityHubLosesNoFinding() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (String line : run(false)) {
            expected.add(FindingMapper.findingId(Alert.fromJson(line)));
        }
        try (FakeAwsEndpoint fake = new FakeAwsEndpoint()) {
            fake.injectRandom(FakeAwsEndpoint.Api.SECURITY_HUB, 0.3, 7,
                    FakeAwsEndpoint.Fault.THROTTLE,
                    FakeAwsEndpoint.Fault.SERVER_ERROR,
                    FakeAwsEndpoint.Fault.RESET);
            run(true, fake);
            assertThat(fake.faultsServed(FakeAwsEndpoint.Api.SECURITY_HUB)).isPositive();
            assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(fake.violations()).isEmpty();
        }
    }

    /** The single-event alerts as rule@eventId (rate alerts are compared by their window). */
    private static Set<String> single(List<String> alerts) {
        Set<String> out = new TreeSet<>();
        for (String line : alerts) {
            Alert a = Alert.fromJson(line);
            if (a.aggregate() == null) {
                out.add(a.rule() + "@" + a.eventId());
            }
        }
        return out;
    }

    private static Set<String> keys(List<String> alerts) {
        Set<String> out = new TreeSet<>();
        for (String line : alerts) {
            Alert a = Alert.fromJson(line);
            out.add(a.rule() + "@" + a.eventId());
        }
        return out;
    }

    /**
     * Emits the events slowly with a checkpointed position; when armed, fails once after a checkpoint completed and
     * {@code after} events were emitted (the task dies mid-stream; Flink restarts the job from the checkpoint).
     */
    static final class FailOnce implements org.apache.flink.streaming.api.functions.source.SourceFunction<RawRecord>,
            org.apache.flink.streaming.api.checkpoint.CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
        private final int after;
        private transient org.apache.flink.api.common.state.ListState<Integer> position;
        private volatile int next;
        private volatile boolean running = true;

        FailOnce(int after) {
            this.after = after;
        }

        static void reset(boolean arm) {
            ARMED.set(arm);
            FAILED.set(false);
            CHECKPOINTED.set(false);
        }

        @Override
        public void run(SourceContext<RawRecord> ctx) throws Exception {
            List<RawRecord> events = events();
            while (running && next < events.size()) {
                if (ARMED.get() && next >= after && CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected task failure mid-stream");
                }
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(events.get(next));
                    next++;
                }
                Thread.sleep(15);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }

        @Override
        public void snapshotState(org.apache.flink.runtime.state.FunctionSnapshotContext context) throws Exception {
            position.update(Collections.singletonList(next));
        }

        @Override
        public void initializeState(org.apache.flink.runtime.state.FunctionInitializationContext context)
                throws Exception {
            position = context.getOperatorStateStore().getListState(
                    new org.apache.flink.api.common.state.ListStateDescriptor<>("position", Integer.class));
            for (Integer p : position.get()) {
                next = p;
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (next > 0) {
                CHECKPOINTED.set(true);
            }
        }
    }
}
