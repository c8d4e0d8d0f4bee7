package io.trailguard.job.operators;

import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.Evaluated;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Drops repeated deliveries of an event (keyed by {@link Evaluated#eventKey}). The first occurrence marks the key in
 * state that expires after the horizon (processing time); later occurrences within it are counted
 * ({@value Counters#DUPLICATES}) and dropped. The pipeline sends only events with output (alerts, rate signals)
 * here, so state holds the keys of those alone; should an event without output arrive, it marks its key and is
 * not forwarded.
 */
public final class Deduplicator extends KeyedProcessFunction<String, Evaluated, Evaluated> {
    private static final long serialVersionUID = 1L;

    private final Duration horizon;
    private transient ValueState<Boolean> seen;
    private transient Counters.Both duplicates;

    public Deduplicator(Duration horizon) {
        this.horizon = horizon;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(Descriptors.seenEvent(horizon));
        duplicates = Counters.register(getRuntimeContext(), Counters.DUPLICATES);
    }

    @Override
    public void processElement(Evaluated e, Context ctx, Collector<Evaluated> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        if (e.hasOutput()) {
            out.collect(e);
        }
    }
}
