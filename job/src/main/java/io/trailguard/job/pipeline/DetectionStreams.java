package io.trailguard.job.pipeline;

import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.operators.FindingTimesStamper;
import io.trailguard.job.serde.FindingTimesTypes;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.time.Duration;

/** The streams the detection graph produces, handed to each {@link PipelineOutput}. */
public final class DetectionStreams {
    /** The uid of the finding-times stage (its keyed state is the finding times a restore brings back). */
    public static final String FINDING_TIMES_UID = "finding-times";

    private final DataStream<Alert> alerts;
    private final DataStream<RuleStatus> ruleStatus;
    private final DataStream<DeadLetter> deadLetters;
    private final Duration findingTimesTtl;
    private DataStream<Alert> findings;

    public DetectionStreams(DataStream<Alert> alerts, DataStream<RuleStatus> ruleStatus,
                            DataStream<DeadLetter> deadLetters) {
        this(alerts, ruleStatus, deadLetters, PipelineSettings.DEFAULT_FINDING_TIMES_TTL);
    }

    /** @param findingTimesTtl how long the finding-times stage keeps a finding id's times after its last version */
    public DetectionStreams(DataStream<Alert> alerts, DataStream<RuleStatus> ruleStatus,
                            DataStream<DeadLetter> deadLetters, Duration findingTimesTtl) {
        this.alerts = alerts;
        this.ruleStatus = ruleStatus;
        this.deadLetters = deadLetters;
        this.findingTimesTtl = findingTimesTtl;
    }

    /** Deduplicated alerts of every rule. */
    public DataStream<Alert> alerts() {
        return alerts;
    }

    /**
     * The alerts stamped with their finding times ({@link Alert#findingTimes()}), for the outputs that write findings
     * (OCSF lines, Security Lake, Security Hub): keyed by finding id ({@link FindingMapper#findingId}) through one
     * {@link FindingTimesStamper} (uid {@value #FINDING_TIMES_UID}), so all of them see the same times for a finding,
     * and a restore from a checkpoint or savepoint keeps them. Made on first use, once: a graph without finding
     * outputs has no such stage.
     */
    public DataStream<Alert> findings() {
        if (findings == null) {
            findings = alerts.keyBy(new FindingIdKey())
                    .process(new FindingTimesStamper(findingTimesTtl))
                    .returns(FindingTimesTypes.StampedAlertType.INSTANCE)
                    .name("Finding times").uid(FINDING_TIMES_UID);
        }
        return findings;
    }

    /** Accepted / rejected / active rule bundle records (operational events). */
    public DataStream<RuleStatus> ruleStatus() {
        return ruleStatus;
    }

    /** Input that did not become an event. */
    public DataStream<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** An alert's finding id. */
    private static final class FindingIdKey implements KeySelector<Alert, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Alert a) {
            return FindingMapper.findingId(a);
        }
    }
}
