package io.trailguard.job.replay;

import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * The bounded source of {@code replay}: reads its inputs in order (run it with parallelism 1) and emits their raw
 * documents (see {@link DocumentReader}). Counts finished inputs as {@value Counters#FILES_DONE} for the progress line.
 * When it returns, Flink emits the final watermark, which ends event time for the replay.
 */
public final class ReplayFileSource extends RichSourceFunction<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final ArrayList<ReplayInput> inputs;
    private volatile boolean running = true;
    private transient Counters.Both filesDone;

    public ReplayFileSource(List<ReplayInput> inputs) {
        this.inputs = new ArrayList<>(inputs);
    }

    @Override
    public void open(OpenContext openContext) {
        filesDone = Counters.register(getRuntimeContext(), Counters.FILES_DONE);
    }

    @Override
    public void run(SourceContext<RawRecord> ctx) {
        DocumentReader reader = new DocumentReader();
        for (ReplayInput input : inputs) {
            if (!running) {
                return;
            }
            reader.read(input, record -> {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(record);
                }
            });
            filesDone.inc();
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
