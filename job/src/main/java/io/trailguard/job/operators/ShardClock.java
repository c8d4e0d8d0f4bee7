package io.trailguard.job.operators;

import java.util.HashMap;
import java.util.Map;

/**
 * The event-time clock of one evaluator instance, kept per input shard (a Kinesis shard, a file): plain Java, so the
 * rules that decide when an event is late can be tested without Flink. {@link ShardEventTime} drives it.
 *
 * <p>Contract of {@link #watermark(long)} (all times in epoch millis; {@code now} is the wall clock):
 * <ul>
 *   <li><b>Start-up hold.</b> No watermark until {@code idleness} has passed since the first event: every shard with
 *       a backlog delivers its first records within that time, so one shard's backlog cannot run ahead of another
 *       shard that has not been read yet (after a start, a restore or an outage).</li>
 *   <li><b>Active shards decide.</b> A shard is active while it delivered an event within the last {@code idleness};
 *       the watermark is the smallest {@code newest event time - outOfOrderness} over the active shards. An idle
 *       shard is left out, but it never moves event time forward by itself.</li>
 *   <li><b>Quiet input.</b> When every shard is idle, event time moves on at the pace of the wall clock from the
 *       newest event: {@code newest event time - outOfOrderness + (now - its arrival - idleness)}. That equals the
 *       active rule at the moment the input turns idle (no jump), so on a live stream a window that ends at {@code W}
 *       is complete at wall-clock {@code W + outOfOrderness + idleness}, and an event that arrives after the quiet
 *       gap with a current time is never late, however long the gap.</li>
 *   <li>The watermark never goes back; before the first event there is none ({@link Long#MIN_VALUE}).</li>
 * </ul>
 * Events without a time do not move the clock.
 */
public final class ShardClock {
    /** No watermark yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final long outOfOrdernessMillis;
    private final long idlenessMillis;
    private final Map<String, Shard> shards = new HashMap<>();
    private long firstArrival = NONE;
    private long watermark = NONE;

    public ShardClock(long outOfOrdernessMillis, long idlenessMillis) {
        if (outOfOrdernessMillis < 0 || idlenessMillis <= 0) {
            throw new IllegalArgumentException("out-of-orderness must be >= 0 and idleness > 0, not "
                    + outOfOrdernessMillis + " ms and " + idlenessMillis + " ms");
        }
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idlenessMillis = idlenessMillis;
    }

    /** What one shard has delivered so far. */
    private static final class Shard {
        long newestEventTime = NONE;
        long lastArrival;
    }

    /** An event of {@code shard} with event time {@code eventTime} arrived at wall-clock {@code now}. */
    public void onEvent(String shard, long eventTime, long now) {
        Shard s = shards.get(shard);
        if (s == null) {
            s = new Shard();
            shards.put(shard, s);
        }
        s.lastArrival = now;
        if (eventTime > s.newestEventTime) {
            s.newestEventTime = eventTime;
        }
        if (firstArrival == NONE) {
            firstArrival = now;
        }
    }

    /** The watermark at wall-clock {@code now}: at least the last one returned, {@link #NONE} before any. */
    public long watermark(long now) {
        if (firstArrival == NONE || now - firstArrival < idlenessMillis) {
            return watermark;
        }
        long active = Long.MAX_VALUE;
        long quiet = NONE;
        for (Shard s : shards.values()) {
            if (s.newestEventTime == NONE) {
                continue;
            }
            long base = s.newestEventTime - outOfOrdernessMillis;
            if (now - s.lastArrival < idlenessMillis) {
                active = Math.min(active, base);
            } else {
                quiet = Math.max(quiet, base + (now - s.lastArrival - idlenessMillis));
            }
        }
        long candidate = active != Long.MAX_VALUE ? active : quiet;
        if (candidate > watermark) {
            watermark = candidate;
        }
        return watermark;
    }

    /** The last watermark returned. */
    public long current() {
        return watermark;
    }

    /** How many shards have delivered events so far (for the log). */
    public int shardCount() {
        return shards.size();
    }
}
