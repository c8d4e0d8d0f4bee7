package io.trailguard.job.serde;

import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.CloudTrailEvent;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The small result of evaluating one event, emitted for every event (with or without alerts) so that the
 * deduplicating operator can recognise repeats by {@link #eventKey}. The event itself is not carried: after evaluation
 * only its identity, its time and what the rules made of it travel on.
 *
 * <p>Serialised by {@link EvaluatedSerializer} (declared here with {@code @TypeInfo}); {@link #signals} feed the
 * keyed rate-rule operator.
 */
@TypeInfo(EvaluatedTypeInfo.Factory.class)
public class Evaluated {
    /** CloudTrail eventID, or {@code sha256:<hex>} of the record when it has none. */
    public String eventKey;
    /** Event time (eventTime, else the envelope's time) in epoch millis, or {@link CloudTrailEvent#NO_TIME}. */
    public long eventTimeMillis;
    /** The alerts of the single-event rules that matched (often empty). */
    public List<Alert> alerts;
    /** The event's signals for rate rules whose condition selected it (often empty). */
    public List<Signal> signals;
    /**
     * The input shard the event was read from (Kinesis shard id, replay file), for the per-shard
     * event clock; null after it.
     */
    public String source;

    public Evaluated() {
    }

    public Evaluated(String eventKey, long eventTimeMillis, List<Alert> alerts) {
        this(eventKey, eventTimeMillis, alerts, new ArrayList<>(0));
    }

    public Evaluated(String eventKey, long eventTimeMillis, List<Alert> alerts, List<Signal> signals) {
        this.eventKey = eventKey;
        this.eventTimeMillis = eventTimeMillis;
        this.alerts = alerts instanceof ArrayList ? alerts : new ArrayList<>(alerts);
        this.signals = signals instanceof ArrayList ? signals : new ArrayList<>(signals);
    }

    public boolean hasTime() {
        return eventTimeMillis != CloudTrailEvent.NO_TIME;
    }

    /** True when there is anything to forward after deduplication. */
    public boolean hasOutput() {
        return alerts != null && !alerts.isEmpty() || signals != null && !signals.isEmpty();
    }

    @Override
    public String toString() {
        return "Evaluated{" + eventKey + ", " + eventTimeMillis + ", " + (alerts == null ? 0 : alerts.size())
                + " alerts}";
    }
}
