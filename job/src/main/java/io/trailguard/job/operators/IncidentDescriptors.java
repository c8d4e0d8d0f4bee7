package io.trailguard.job.operators;

import io.trailguard.job.serde.IncidentTypes;
import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.IncidentSequence;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

import java.util.List;

/** State descriptors of the incident stage (their names are part of the checkpoint format). */
public final class IncidentDescriptors {
    /** Per principal: the open sequence of counted alerts (raised as an incident or not yet). */
    public static final ValueStateDescriptor<IncidentSequence> SEQUENCE =
            new ValueStateDescriptor<>("incident-sequence", IncidentTypes.SequenceType.INSTANCE);

    /** Bounded mode: evidence waiting for the final watermark, by event time. */
    public static final MapStateDescriptor<Long, List<Evidence>> PENDING =
            new MapStateDescriptor<>("incident-pending", Types.LONG, Types.LIST(IncidentTypes.EvidenceType.INSTANCE));

    private IncidentDescriptors() {
    }
}
