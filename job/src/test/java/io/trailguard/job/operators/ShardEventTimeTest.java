package io.trailguard.job.operators;

import io.trailguard.job.serde.Evaluated;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ShardEventTime} in Flink's operator harness, with the harness's processing time as the wall clock: what it
 * emits for a backlog on one shard, an idle shard, an idle whole input, and upstream watermarks and statuses.
 */
class ShardEventTimeTest {
    static final long S = 1000;
    static final long MIN = 60 * S;
    static final long OOO = 15 * MIN;
    static final long IDLE = MIN;
    static final long NOW = 1_800_000_000_000L;
    static final long OLD = NOW - 6 * 60 * MIN;

    static OneInputStreamOperatorTestHarness<Evaluated, Evaluated> harness(boolean bounded) throws Exception {
        OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h =
                new OneInputStreamOperatorTestHarness<>(new ShardEventTime(OOO, IDLE, bounded));
        h.getExecutionConfig().setAutoWatermarkInterval(200);
        h.setup();
        h.setProcessingTime(NOW);
        h.open();
        return h;
    }

    static void event(OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h, String shard, long time)
            throws Exception {
        Evaluated e = new Evaluated("id-" + shard + "-" + time, time, Collections.emptyList());
        e.source = shard;
        h.processElement(new StreamRecord<>(e));
    }

    /** The watermarks emitted so far. */
    static List<Long> watermarks(OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h) {
        List<Long> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark) {
                out.add(((Watermark) o).getTimestamp());
            }
        }
        return out;
    }

    static List<WatermarkStatus> statuses(OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h) {
        List<WatermarkStatus> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof WatermarkStatus) {
                out.add((WatermarkStatus) o);
            }
        }
        return out;
    }

    static long last(List<Long> values) {
        return values.isEmpty() ? Long.MIN_VALUE : values.get(values.size() - 1);
    }

    @Test
    void recordsCarryTheirEventTimeAndLeaveTheirShardBehind() throws Exception {
        try (OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h = harness(false)) {
            event(h, "shardId-000000000000", OLD);
            StreamRecord<? extends Evaluated> r = h.extractOutputStreamRecords().get(0);
            assertThat(r.getTimestamp()).isEqualTo(OLD);
            assertThat(r.getValue().source).isNull();
        }
    }

    @Test
    void aBacklogOnOneShardDoesNotRunAheadOfTheOtherShard() throws Exception {
        try (OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h = harness(false)) {
            for (int i = 0; i < 100; i++) {
                event(h, "a", OLD + i * MIN); // shard a delivers 100 minutes of backlog first
            }
            h.setProcessingTime(NOW + S);
            event(h, "b", OLD);
            h.setProcessingTime(NOW + IDLE);
            assertThat(last(watermarks(h))).isEqualTo(OLD - OOO);
            for (int i = 1; i <= 10; i++) {
                event(h, "b", OLD + i * MIN);
            }
            h.setProcessingTime(NOW + IDLE + S);
            assertThat(last(watermarks(h))).isEqualTo(OLD + 10 * MIN - OOO);
            assertThat(watermarks(h)).isSorted();
        }
    }

    @Test
    void anIdleShardStopsHoldingBackEventTime() throws Exception {
        try (OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h = harness(false)) {
            event(h, "a", NOW);
            event(h, "b", NOW - 10 * MIN);
            h.setProcessingTime(NOW + 30 * S);
            event(h, "a", NOW + 30 * S);
            h.setProcessingTime(NOW + IDLE - S);
            event(h, "a", NOW + IDLE - S);
            h.setProcessingTime(NOW + IDLE);
            // b is idle now; a decides
            assertThat(last(watermarks(h))).isEqualTo(NOW + IDLE - S - OOO);
        }
    }

    @Test
    void aQuietInputKeepsEmittingWatermarksPacedByTheWallClockAndNeverDeclaresItselfIdle() throws Exception {
        try (OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h = harness(false)) {
            h.setProcessingTime(NOW + S);
            assertThat(statuses(h)).as("no event yet, but within the idleness").isEmpty();
            h.setProcessingTime(NOW + IDLE);
            assertThat(statuses(h)).as("no event within the idleness").containsExactly(WatermarkStatus.IDLE);
            event(h, "a", NOW + IDLE);
            assertThat(statuses(h)).containsExactly(WatermarkStatus.IDLE, WatermarkStatus.ACTIVE);
            for (long t = NOW + IDLE + 2 * S; t <= NOW + 2 * IDLE + 10 * MIN; t += 10 * S) {
                h.setProcessingTime(t);
            }
            h.setProcessingTime(NOW + 2 * IDLE + 10 * MIN);
            assertThat(last(watermarks(h))).isEqualTo(NOW + IDLE - OOO + 10 * MIN);
            assertThat(statuses(h)).containsExactly(WatermarkStatus.IDLE, WatermarkStatus.ACTIVE);
        }
    }

    @Test
    void upstreamWatermarksAndStatusesAreIgnoredExceptTheEndOfInput() throws Exception {
        try (OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h = harness(false)) {
            event(h, "a", NOW);
            h.processWatermark(new Watermark(NOW + 60 * MIN));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            assertThat(watermarks(h)).isEmpty();
            assertThat(statuses(h)).isEmpty();
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(watermarks(h)).containsExactly(Long.MAX_VALUE);
        }
    }

    @Test
    void boundedInputHasNoWatermarkUntilTheEnd() throws Exception {
        try (OneInputStreamOperatorTestHarness<Evaluated, Evaluated> h = harness(true)) {
            event(h, "file-a", OLD);
            event(h, "file-b", NOW);
            h.setProcessingTime(NOW + 10 * MIN);
            assertThat(watermarks(h)).isEmpty();
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(watermarks(h)).containsExactly(Long.MAX_VALUE);
        }
    }
}
