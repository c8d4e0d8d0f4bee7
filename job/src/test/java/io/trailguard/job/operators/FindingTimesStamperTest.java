package io.trailguard.job.operators;

import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FindingTimesStamperTest {
    private static final Duration TTL = Duration.ofDays(7);
    private static final KeySelector<Alert, String> FINDING_ID = FindingMapper::findingId;

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FindingTimesStamper(TTL)), FINDING_ID, Types.STRING);
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        return h;
    }

    @Test
    void versionsOfAFindingIdKeepCreatedAtAndOtherIdsAreNew() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h = harness()) {
            h.open();
            h.setStateTtlProcessingTime(1_000);
            h.setProcessingTime(1_000);
            h.processElement(DeduplicatorTest.alert("a"), 1);
            h.processElement(DeduplicatorTest.alert("a"), 2);
            h.setProcessingTime(5_000);
            h.processElement(DeduplicatorTest.alert("b"), 3);
            assertThat(times(h)).containsExactly(new FindingTimes(1_000, 1_000), new FindingTimes(1_000, 1_001),
                    new FindingTimes(5_000, 5_000));
        }
    }

    @Test
    void theTimesComeBackWithTheSnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h = harness()) {
            h.open();
            h.setStateTtlProcessingTime(1_000);
            h.setProcessingTime(1_000);
            h.processElement(DeduplicatorTest.alert("a"), 1);
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setStateTtlProcessingTime(9_000);
            h.setProcessingTime(9_000);
            h.processElement(DeduplicatorTest.alert("a"), 2);
            assertThat(times(h)).containsExactly(new FindingTimes(1_000, 9_000));
        }
    }

    @Test
    void aFindingIdSilentLongerThanTheTtlIsNewAgain() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h = harness()) {
            h.open();
            h.setStateTtlProcessingTime(1_000);
            h.setProcessingTime(1_000);
            h.processElement(DeduplicatorTest.alert("a"), 1);
            long within = 1_000 + TTL.toMillis() - 1;
            h.setStateTtlProcessingTime(within);
            h.setProcessingTime(within);
            h.processElement(DeduplicatorTest.alert("a"), 2);
            long past = within + TTL.toMillis() + 1;
            h.setStateTtlProcessingTime(past);
            h.setProcessingTime(past);
            h.processElement(DeduplicatorTest.alert("a"), 3);
            assertThat(times(h)).containsExactly(new FindingTimes(1_000, 1_000), new FindingTimes(1_000, within),
                    new FindingTimes(past, past));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<FindingTimes> times(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h) {
        return h.getOutput().stream().map(o -> ((StreamRecord<Alert>) o).getValue().findingTimes())
                .collect(Collectors.toList());
    }
}
