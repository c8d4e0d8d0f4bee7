package io.trailguard.job.operators;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimeline;
import io.trailguard.rules.engine.FindingTimes;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * The one source of finding times for every finding output: keyed by finding id, it keeps the id's last
 * {@link FindingTimes} in keyed state (checkpointed, so a restore brings them back) and emits each alert stamped
 * with the times of its version, made by {@link FindingTimeline} from that state and the processing time. The state
 * of an id expires {@code ttl} after its last version.
 */
public final class FindingTimesStamper extends KeyedProcessFunction<String, Alert, Alert> {
    private static final long serialVersionUID = 1L;

    private final Duration ttl;
    private transient ValueState<FindingTimes> last;

    public FindingTimesStamper(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        last = getRuntimeContext().getState(Descriptors.findingTimes(ttl));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        FindingTimes times = FindingTimeline.next(last.value(), ctx.timerService().currentProcessingTime());
        last.update(times);
        out.collect(alert.withFindingTimes(times));
    }
}
