package io.trailguard.job.serde;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink types of the finding-times stage: its stamped alerts and its keyed state, with our serializers (no Kryo). */
public final class FindingTimesTypes {
    private FindingTimesTypes() {
    }

    /** Alerts stamped with their finding times, from the stage to the finding outputs. */
    public static final class StampedAlertType extends SerializerTypeInfo<Alert> {
        private static final long serialVersionUID = 1L;
        public static final StampedAlertType INSTANCE = new StampedAlertType();

        private StampedAlertType() {
            super(Alert.class);
        }

        @Override
        public TypeSerializer<Alert> createSerializer(SerializerConfig config) {
            return StampedAlertSerializer.INSTANCE;
        }
    }

    /** A finding id's last times, in keyed state. */
    public static final class TimesType extends SerializerTypeInfo<FindingTimes> {
        private static final long serialVersionUID = 1L;
        public static final TimesType INSTANCE = new TimesType();

        private TimesType() {
            super(FindingTimes.class);
        }

        @Override
        public TypeSerializer<FindingTimes> createSerializer(SerializerConfig config) {
            return FindingTimesSerializer.INSTANCE;
        }
    }
}
