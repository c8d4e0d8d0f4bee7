package io.trailguard.job.operators;

import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DeduplicatorTest {
    static Alert alert(String eventId) {
        return new Alert("2026-01-01T00:00:00.000000000Z", 0L, "R", "Warning", "aws_cloudtrail",
                Collections.emptyList(), "out", Collections.emptyMap(), "h", eventId, "1", "us-east-1");
    }

    @Test
    void forwardsTheFirstOccurrenceWithinTheHorizonOnly() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Evaluated, Evaluated> h =
                     new KeyedOneInputStreamOperatorTestHarness<>(
                             new KeyedProcessOperator<>(new Deduplicator(Duration.ofMinutes(60))),
                             new EventKey(), Types.STRING)) {
            DetectionPipeline.registerTypes(h.getExecutionConfig());
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(new Evaluated("a", 1, List.of(alert("a"))), 1);
            h.processElement(new Evaluated("a", 1, List.of(alert("a"))), 2);
            h.processElement(new Evaluated("b", 1, Collections.emptyList()), 3);
            h.processElement(new Evaluated("b", 1, List.of(alert("b"))), 4);
            h.setStateTtlProcessingTime(Duration.ofMinutes(59).toMillis());
            h.processElement(new Evaluated("a", 1, List.of(alert("a"))), 5);
            assertThat(keys(h)).containsExactly("a");
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);

            h.setStateTtlProcessingTime(Duration.ofMinutes(61).toMillis());
            h.processElement(new Evaluated("a", 1, List.of(alert("a"))), 6);
            assertThat(keys(h)).containsExactly("a");
        }
    }

    /** Expired keys leave the heap while events keep coming: state stays near one horizon's worth of keys. */
    @Test
    void heapStateStaysBoundedByTheHorizon() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Evaluated, Evaluated> h =
                     new KeyedOneInputStreamOperatorTestHarness<>(
                             new KeyedProcessOperator<>(new Deduplicator(Duration.ofMinutes(10))),
                             new EventKey(), Types.STRING)) {
            DetectionPipeline.registerTypes(h.getExecutionConfig());
            h.open();
            int perHorizon = 600; // one event per second, 10 minutes
            int max = 0;
            for (int i = 0; i < 20 * perHorizon; i++) {
                h.setStateTtlProcessingTime(i * 1000L);
                h.processElement(new Evaluated("e" + i, i, Collections.emptyList()), i);
                max = Math.max(max, h.numKeyedStateEntries());
            }
            assertThat(max).isGreaterThanOrEqualTo(perHorizon).isLessThanOrEqualTo(2 * perHorizon + 64);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> keys(KeyedOneInputStreamOperatorTestHarness<String, Evaluated, Evaluated> h) {
        List<String> k = h.getOutput().stream().map(o -> ((StreamRecord<Evaluated>) o).getValue().eventKey)
                .collect(Collectors.toList());
        h.getOutput().clear();
        return k;
    }
}
