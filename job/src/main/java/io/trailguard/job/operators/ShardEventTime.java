package io.trailguard.job.operators;

import io.trailguard.job.serde.Evaluated;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event time of the evaluated events: each record's timestamp is its event time, and the watermark comes from a
 * {@link ShardClock} fed with the shard ({@link Evaluated#source}) every event was read from, so one shard's
 * backlog cannot make another shard's events late, and a quiet input cannot stop or jump event time.
 *
 * <p>Upstream watermarks and watermark statuses are ignored (the rule-bundle input of the evaluator carries none
 * that matter), except the end-of-input watermark, which is forwarded. Once an event has reached this instance it
 * never declares itself idle: while its input is quiet it keeps emitting the clock's wall-clock-paced watermark, so
 * the keyed operators downstream always take their event time from the events. An instance that no event has
 * reached within the idleness after its start declares itself idle, so that one the rebalance does not serve (a thin
 * stream) does not hold the others back.
 *
 * <p>Bounded input (replay) has no clock: no watermark until the end of input, so no event is ever late.
 */
public final class ShardEventTime extends AbstractStreamOperator<Evaluated>
        implements OneInputStreamOperator<Evaluated, Evaluated>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShardEventTime.class);
    /** How often the watermark is re-evaluated when the job sets no auto-watermark interval. */
    private static final long DEFAULT_INTERVAL_MILLIS = 200;

    private final long outOfOrdernessMillis;
    private final long idlenessMillis;
    private final boolean bounded;

    private transient ShardClock clock;
    private transient long interval;
    private transient long emitted;
    private transient boolean quiet;
    private transient boolean declaredIdle;
    private transient long lastArrival;
    private transient long openedAt;

    /** @param bounded replay: timestamps only, the watermark is the end of input */
    public ShardEventTime(long outOfOrdernessMillis, long idlenessMillis, boolean bounded) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idlenessMillis = idlenessMillis;
        this.bounded = bounded;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        emitted = ShardClock.NONE;
        if (bounded) {
            return;
        }
        clock = new ShardClock(outOfOrdernessMillis, idlenessMillis);
        long configured = getExecutionConfig().getAutoWatermarkInterval();
        interval = configured > 0 ? configured : DEFAULT_INTERVAL_MILLIS;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        openedAt = now;
        getProcessingTimeService().registerTimer(now + interval, this);
    }

    @Override
    public void processElement(StreamRecord<Evaluated> element) {
        Evaluated e = element.getValue();
        if (clock != null) {
            if (declaredIdle) {
                declaredIdle = false;
                output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
            }
            long now = getProcessingTimeService().getCurrentProcessingTime();
            if (e.hasTime()) {
                clock.onEvent(e.source == null ? "" : e.source, e.eventTimeMillis, now);
            }
            lastArrival = now;
        }
        // the shard mattered only to the clock; it does not travel further
        e.source = null;
        long timestamp = e.hasTime() ? e.eventTimeMillis
                : emitted != ShardClock.NONE ? emitted : System.currentTimeMillis();
        output.collect(element.replace(e, timestamp));
    }

    @Override
    public void onProcessingTime(long timestamp) {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (clock.shardCount() == 0 && !declaredIdle && now - openedAt >= idlenessMillis) {
            // no event has reached this instance within the idleness (rebalance on a thin stream): it has no time to
            // tell, and the other instances' watermarks decide downstream until one arrives. Not sooner: an instance
            // whose first events are merely slower must not let another run ahead of them.
            declaredIdle = true;
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        }
        long w = clock.watermark(now);
        if (w != ShardClock.NONE && w > emitted && emitted != Long.MAX_VALUE) {
            emitted = w;
            output.emitWatermark(new Watermark(w));
        }
        logQuietTransitions(now);
        getProcessingTimeService().registerTimer(now + interval, this);
    }

    /**
     * A DEBUG line when the input turns quiet and one when events arrive again (a thin stream toggles often); the
     * watermark itself is Flink's {@code currentOutputWatermark} metric of this operator.
     */
    private void logQuietTransitions(long now) {
        boolean nowQuiet = clock.shardCount() > 0 && now - lastArrival >= idlenessMillis;
        if (nowQuiet != quiet) {
            quiet = nowQuiet;
            if (quiet) {
                LOG.debug("subtask {}: no events for {} ms from any of {} shard(s): event time now follows the wall "
                        + "clock from the newest event", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        idlenessMillis, clock.shardCount());
            } else {
                LOG.debug("subtask {}: events arrive again: event time follows the events",
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
            }
        }
    }

    @Override
    public void processWatermark(Watermark mark) {
        // only the end of input passes: every other upstream watermark is replaced by the clock's
        if (mark.getTimestamp() == Long.MAX_VALUE && emitted != Long.MAX_VALUE) {
            emitted = Long.MAX_VALUE;
            output.emitWatermark(Watermark.MAX_WATERMARK);
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus watermarkStatus) {
        // ignored: an idle source subtask must not make the keyed operators drop this input
    }
}
