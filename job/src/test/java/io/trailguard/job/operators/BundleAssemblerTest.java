package io.trailguard.job.operators;

import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.ControlMessage;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle assembler in Flink's operator harness, with processing time under the test's control: a chunked bundle
 * still incomplete after the timeout, or when a newer bundle arrives complete, is discarded with an
 * {@code incomplete} status naming the chunks received; a restored set completes, and times out from the restore.
 */
class BundleAssemblerTest {
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** Small records, so that the base bundle becomes several chunks. */
    static final int RECORD_BYTES = 1400;
    static final RuleBundle CHUNKED = TestRules.bigBundle("chunked", 3000);
    static final List<byte[]> CHUNKS = ControlMessage.encode(CHUNKED, RECORD_BYTES);

    static OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> harness(OperatorSubtaskState restore,
                                                                            long startTime) throws Exception {
        OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h =
                new OneInputStreamOperatorTestHarness<>(new BundleAssembler(TIMEOUT));
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        h.setProcessingTime(startTime);
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static void chunk(OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h, int index) throws Exception {
        h.processElement(new RawRecord(CHUNKS.get(index), "shardId-0:" + (100 + index)), 0L);
    }

    static List<RuleStatus> statuses(OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h) {
        if (h.getSideOutput(Descriptors.RULE_STATUS) == null) {
            return Collections.emptyList();
        }
        List<RuleStatus> s = h.getSideOutput(Descriptors.RULE_STATUS).stream().map(StreamRecord::getValue)
                .collect(Collectors.toList());
        h.getSideOutput(Descriptors.RULE_STATUS).clear();
        return s;
    }

    static List<RuleBundle> bundles(OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h) {
        List<RuleBundle> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                out.add((RuleBundle) ((StreamRecord<?>) o).getValue());
            }
        }
        h.getOutput().clear();
        return out;
    }

    private static String missingAfter013() {
        StringBuilder b = new StringBuilder("2");
        for (int i = 4; i < CHUNKS.size(); i++) {
            b.append(", ").append(i);
        }
        return b.toString();
    }

    @Test
    void theTestBundleIsChunked() {
        assertThat(CHUNKS.size()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aBundleStillIncompleteAfterTheTimeoutGetsAnIncompleteStatus() throws Exception {
        long t0 = 1_000_000L;
        try (OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h = harness(null, t0)) {
            chunk(h, 0);
            h.setProcessingTime(t0 + 60_000);
            chunk(h, 1);
            chunk(h, 3);
            h.setProcessingTime(t0 + TIMEOUT.toMillis() - 1);
            assertThat(statuses(h)).isEmpty();

            h.setProcessingTime(t0 + TIMEOUT.toMillis());
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(RuleStatus.INCOMPLETE);
                assertThat(s.version()).isEqualTo(CHUNKED.version());
                assertThat(s.hash()).isEqualTo(CHUNKED.hash());
                assertThat(s.errors()).containsExactly("incomplete chunked bundle " + CHUNKED.version() + ": 3 of "
                        + CHUNKS.size() + " chunks: 0, 1, 3 (missing " + missingAfter013() + "); discarded: still "
                        + "incomplete 5m after its first chunk (bundles.chunk_timeout)");
                assertThat(s.toJson()).contains("\"type\":\"rule_status\"", "\"status\":\"incomplete\"");
            });
            assertThat(bundles(h)).isEmpty();
            // the discarded set is gone: the remaining chunks alone do not make the bundle
            for (int i = 4; i < CHUNKS.size(); i++) {
                chunk(h, i);
            }
            chunk(h, 2);
            assertThat(bundles(h)).isEmpty();
        }
    }

    @Test
    void aNewerCompleteBundleDiscardsTheIncompleteOne() throws Exception {
        RuleBundle newer = TestRules.basePlus("v2", "changes.yaml", TestRules.ACCESS_KEY_RULE);
        try (OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h = harness(null, 0L)) {
            chunk(h, 0);
            chunk(h, 2);
            h.processElement(new RawRecord(newer.toMessageBytes(), "shardId-0:300"), 0L);

            assertThat(bundles(h)).extracting(RuleBundle::version).containsExactly("v2");
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(RuleStatus.INCOMPLETE);
                assertThat(s.errors()).singleElement().asString()
                        .startsWith("incomplete chunked bundle " + CHUNKED.version() + ": 2 of " + CHUNKS.size()
                                + " chunks: 0, 2 (missing 1, 3")
                        .endsWith("discarded: the newer bundle v2 (" + newer.shortHash() + ") arrived complete first");
            });
            h.setProcessingTime(TIMEOUT.toMillis() * 2);
            assertThat(statuses(h)).as("reported once").isEmpty();
        }
    }

    @Test
    void aCompleteChunkedBundlePassesAndARestoredSetCompletesOrTimesOutFromTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h = harness(null, 0L)) {
            chunk(h, 1);
            chunk(h, 0);
            snapshot = h.snapshot(1L, 1L);
        }
        long restoredAt = 10 * TIMEOUT.toMillis();
        try (OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h = harness(snapshot, restoredAt)) {
            for (int i = 2; i < CHUNKS.size(); i++) {
                chunk(h, i);
            }
            assertThat(bundles(h)).singleElement().satisfies(b -> assertThat(b.hash()).isEqualTo(CHUNKED.hash()));
            assertThat(statuses(h)).isEmpty();
        }
        try (OneInputStreamOperatorTestHarness<RawRecord, RuleBundle> h = harness(snapshot, restoredAt)) {
            h.setProcessingTime(restoredAt + TIMEOUT.toMillis() - 1);
            assertThat(statuses(h)).isEmpty();
            h.setProcessingTime(restoredAt + TIMEOUT.toMillis());
            assertThat(statuses(h)).singleElement().satisfies(s -> assertThat(s.errors()).singleElement().asString()
                    .startsWith("incomplete chunked bundle " + CHUNKED.version() + ": 2 of " + CHUNKS.size()
                            + " chunks: 0, 1 (missing 2, "));
        }
    }
}
