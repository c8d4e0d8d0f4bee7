package io.trailguard.job.rate;

import io.trailguard.job.bundle.RuleBundle;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for the rule-bundle stream: always the end of time. Bundles are not events; without this, the
 * broadcast input of the keyed rate operator (a two-input operator takes the smaller of its inputs' watermarks)
 * would hold event time back forever and no window-end or cleanup timer would fire.
 */
public final class NeverHoldBack implements WatermarkGenerator<RuleBundle> {
    private static final long serialVersionUID = 1L;
    private boolean emitted;

    public static WatermarkStrategy<RuleBundle> strategy() {
        return WatermarkStrategy.<RuleBundle>forGenerator(ctx -> new NeverHoldBack())
                .withTimestampAssigner((b, ts) -> ts);
    }

    @Override
    public void onEvent(RuleBundle event, long eventTimestamp, WatermarkOutput output) {
        // nothing: the periodic watermark is already the end of time
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (!emitted) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
            emitted = true;
        }
    }
}
