package io.trailguard.job.pipeline;

import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.operators.Descriptors;
import io.trailguard.job.operators.NoEventTime;
import io.trailguard.job.operators.RateRuleOperator;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule-bundle input never contributes event time: {@link NoEventTime} declares it idle and drops its watermarks,
 * so a keyed rate-rule operator's event time is its events' alone, also while they are quiet.
 */
class BundleInputEventTimeTest {
    static final long T0 = 1_800_000_000_000L;

    @Test
    void theBundleStreamIsIdleFromTheStartAndDropsEveryWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<RuleBundle, RuleBundle> h =
                     new OneInputStreamOperatorTestHarness<>(new NoEventTime<RuleBundle>())) {
            h.open();
            RuleBundle b = TestRules.base();
            h.processElement(new StreamRecord<>(b, 5));
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(2);
            assertThat(out.get(0)).isEqualTo(WatermarkStatus.IDLE);
            assertThat(((StreamRecord<?>) out.get(1)).getValue()).isEqualTo(b);
        }
    }

    @Test
    void aRateOperatorTakesItsEventTimeFromTheEventsAloneWithTheBundleInputIdle() throws Exception {
        RuleBundle b = TestRules.base();
        CoBroadcastWithKeyedOperator<String, Signal, RuleBundle, Alert> op = new CoBroadcastWithKeyedOperator<>(
                new RateRuleOperator(b, MatchingMode.ALL, false, 600_000L, 1),
                Collections.singletonList(Descriptors.RULES));
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h =
                     new KeyedBroadcastOperatorTestHarness<>(op, (KeySelector<Signal, String>) Signal::key,
                             Types.STRING, 1, 1, 0)) {
            DetectionPipeline.registerTypes(h.getExecutionConfig());
            h.open();
            op.processWatermarkStatus2(WatermarkStatus.IDLE);
            h.processWatermark(new Watermark(T0));
            h.processBroadcastElement(TestRules.basePlus("v2"), T0);
            h.processWatermark(new Watermark(T0 + 1000));
            assertThat(outputWatermarks(h)).containsExactly(T0, T0 + 1000);
            // events that turn idle and active again do not hand event time to the bundle input
            op.processWatermarkStatus1(WatermarkStatus.IDLE);
            op.processWatermarkStatus1(WatermarkStatus.ACTIVE);
            h.processWatermark(new Watermark(T0 + 2000));
            assertThat(outputWatermarks(h)).containsExactly(T0, T0 + 1000, T0 + 2000);
        }
    }

    static List<Long> outputWatermarks(KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h) {
        List<Long> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark) {
                out.add(((Watermark) o).getTimestamp());
            }
        }
        return out;
    }
}
