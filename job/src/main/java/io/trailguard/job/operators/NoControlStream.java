package io.trailguard.job.operators;

import io.trailguard.job.serde.RawRecord;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/** The control input when the rules never change: ends at once. */
public final class NoControlStream implements SourceFunction<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void run(SourceContext<RawRecord> ctx) {
    }

    @Override
    public void cancel() {
    }
}
