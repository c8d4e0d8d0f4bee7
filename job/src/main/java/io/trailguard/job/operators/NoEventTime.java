package io.trailguard.job.operators;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Takes a stream out of event time: it forwards the records and declares itself idle for good, dropping every
 * watermark and status from upstream. Used on the rule-bundle stream, which is broadcast into the evaluator and
 * every keyed rate-rule stage: a two-input operator's event time is the smallest watermark of its non-idle inputs,
 * so a bundle input that held a watermark would either hold event time back (no watermark) or, once the events
 * were idle, make it the bundle's (the end of time, firing every window-end timer at once). Declared idle, the
 * bundle input never counts, and event time is the events' alone.
 */
public final class NoEventTime<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    public NoEventTime() {
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        // dropped: see the class comment
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // stays idle
    }
}
