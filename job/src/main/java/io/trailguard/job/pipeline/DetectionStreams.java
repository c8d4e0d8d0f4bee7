package io.trailguard.job.pipeline;

import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The streams the detection graph produces, handed to each {@link PipelineOutput}. */
public final class DetectionStreams {
    private final DataStream<Alert> alerts;
    private final DataStream<RuleStatus> ruleStatus;
    private final DataStream<DeadLetter> deadLetters;

    public DetectionStreams(DataStream<Alert> alerts, DataStream<RuleStatus> ruleStatus,
                            DataStream<DeadLetter> deadLetters) {
        this.alerts = alerts;
        this.ruleStatus = ruleStatus;
        this.deadLetters = deadLetters;
    }

    /** Deduplicated alerts of every rule. */
    public DataStream<Alert> alerts() {
        return alerts;
    }

    /** Accepted / rejected / active rule bundle records (operational events). */
    public DataStream<RuleStatus> ruleStatus() {
        return ruleStatus;
    }

    /** Input that did not become an event. */
    public DataStream<DeadLetter> deadLetters() {
        return deadLetters;
    }
}
