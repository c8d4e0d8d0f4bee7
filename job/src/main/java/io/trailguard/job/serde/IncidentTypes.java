package io.trailguard.job.serde;

import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.IncidentSequence;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink types of the incident stage's records and state, with our serializers (no Kryo). */
public final class IncidentTypes {
    private IncidentTypes() {
    }

    /** Alerts as evidence, between the alerts and the keyed stage. */
    public static final class EvidenceType extends SerializerTypeInfo<Evidence> {
        private static final long serialVersionUID = 1L;
        public static final EvidenceType INSTANCE = new EvidenceType();

        private EvidenceType() {
            super(Evidence.class);
        }

        @Override
        public TypeSerializer<Evidence> createSerializer(SerializerConfig config) {
            return EvidenceSerializer.INSTANCE;
        }
    }

    /** A principal's open sequence, in keyed state. */
    public static final class SequenceType extends SerializerTypeInfo<IncidentSequence> {
        private static final long serialVersionUID = 1L;
        public static final SequenceType INSTANCE = new SequenceType();

        private SequenceType() {
            super(IncidentSequence.class);
        }

        @Override
        public TypeSerializer<IncidentSequence> createSerializer(SerializerConfig config) {
            return SequenceSerializer.INSTANCE;
        }
    }
}
