package io.trailguard.job.operators;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-shard event-time rules of {@link ShardClock}, on a hand-driven wall clock. */
class ShardClockTest {
    static final long S = 1000;
    static final long MIN = 60 * S;
    static final long OOO = 15 * MIN;
    static final long IDLE = MIN;
    /** Wall clock at the start of each test. */
    static final long NOW = 1_800_000_000_000L;
    /** Event time of an old backlog, hours behind the wall clock. */
    static final long OLD = NOW - 6 * 60 * MIN;

    @Test
    void noWatermarkBeforeTheFirstEventNorDuringTheStartUpHold() {
        ShardClock c = new ShardClock(OOO, IDLE);
        assertThat(c.watermark(NOW)).isEqualTo(ShardClock.NONE);
        c.onEvent("a", OLD, NOW);
        assertThat(c.watermark(NOW + IDLE - 1)).isEqualTo(ShardClock.NONE);
        c.onEvent("a", OLD + S, NOW + IDLE - 1);
        assertThat(c.watermark(NOW + IDLE)).isEqualTo(OLD + S - OOO);
    }

    @Test
    void aShardFirstSeenDuringTheHoldHoldsBackAShardWhoseBacklogRunsAhead() {
        ShardClock c = new ShardClock(OOO, IDLE);
        // shard a reads three hours of backlog before shard b's first batch arrives
        c.onEvent("a", OLD, NOW);
        c.onEvent("a", OLD + 3 * 60 * MIN, NOW + S);
        c.onEvent("b", OLD, NOW + 2 * S);
        assertThat(c.watermark(NOW + IDLE)).isEqualTo(OLD - OOO);
        c.onEvent("b", OLD + 60 * MIN, NOW + IDLE);
        c.onEvent("a", OLD + 3 * 60 * MIN + S, NOW + IDLE);
        assertThat(c.watermark(NOW + IDLE + S)).isEqualTo(OLD + 60 * MIN - OOO);
    }

    @Test
    void theSlowestActiveShardDecidesAndAnIdleShardIsLeftOut() {
        ShardClock c = new ShardClock(OOO, IDLE);
        c.onEvent("a", NOW, NOW);
        c.onEvent("b", NOW - 10 * MIN, NOW);
        c.onEvent("a", NOW + IDLE, NOW + IDLE);
        c.onEvent("b", NOW - 9 * MIN, NOW + IDLE);
        assertThat(c.watermark(NOW + IDLE)).isEqualTo(NOW - 9 * MIN - OOO);
        // b goes silent; a goes on: once b is idle, a alone decides
        c.onEvent("a", NOW + IDLE + 30 * S, NOW + IDLE + 30 * S);
        assertThat(c.watermark(NOW + IDLE + 30 * S)).isEqualTo(NOW - 9 * MIN - OOO);
        c.onEvent("a", NOW + 2 * IDLE, NOW + 2 * IDLE);
        assertThat(c.watermark(NOW + 2 * IDLE)).isEqualTo(NOW + 2 * IDLE - OOO);
    }

    @Test
    void aQuietInputMovesOnWithTheWallClockFromTheNewestEventWithoutAJump() {
        ShardClock c = new ShardClock(OOO, IDLE);
        long last = NOW + 5 * MIN;
        c.onEvent("a", NOW, NOW);
        c.onEvent("b", last - 2 * S, last - 2 * S);
        c.onEvent("a", last, last);
        assertThat(c.watermark(last + IDLE - 1)).isEqualTo(last - OOO);
        assertThat(c.watermark(last + IDLE)).isEqualTo(last - OOO);
        assertThat(c.watermark(last + IDLE + 7 * MIN)).isEqualTo(last - OOO + 7 * MIN);
        // a window ending at W on this live stream is complete at wall-clock W + out-of-orderness + idleness
        long windowEnd = last + 10 * MIN;
        assertThat(c.watermark(windowEnd + OOO + IDLE)).isEqualTo(windowEnd);
    }

    @Test
    void anEventAfterDaysOfQuietIsNotLate() {
        ShardClock c = new ShardClock(OOO, IDLE);
        c.onEvent("a", NOW, NOW);
        long later = NOW + 3 * 24 * 60 * MIN;
        long before = c.watermark(later);
        c.onEvent("a", later - 5 * S, later); // delivered 5 s after it happened
        assertThat(before).isEqualTo(later - OOO - IDLE).isLessThan(later - 5 * S);
        assertThat(c.watermark(later + S)).isEqualTo(later - 5 * S - OOO);
    }

    @Test
    void aBacklogThatEndsInQuietMovesOnFromItsOwnTimeNotFromTheWallClock() {
        ShardClock c = new ShardClock(OOO, IDLE);
        c.onEvent("a", OLD, NOW);
        c.onEvent("a", OLD + 10 * MIN, NOW + 2 * S);
        assertThat(c.watermark(NOW + 2 * S + IDLE + 3 * MIN)).isEqualTo(OLD + 10 * MIN - OOO + 3 * MIN);
    }

    @Test
    void theWatermarkNeverGoesBack() {
        ShardClock c = new ShardClock(OOO, IDLE);
        c.onEvent("a", NOW, NOW);
        long w = c.watermark(NOW + IDLE);
        c.onEvent("b", NOW - 60 * MIN, NOW + IDLE);
        assertThat(c.watermark(NOW + IDLE + S)).isEqualTo(w);
        assertThat(c.current()).isEqualTo(w);
    }

    @Test
    void rejectsANonPositiveIdleness() {
        assertThatThrownBy(() -> new ShardClock(OOO, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardClock(-1, IDLE)).isInstanceOf(IllegalArgumentException.class);
    }
}
