package io.trailguard.job.serde;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the pipeline's alert streams (set with {@code returns} where they are made, since {@link Alert} lives
 * in the Flink-free engine), serialised by {@link AlertSerializer} rather than Kryo.
 */
public final class AlertTypeInfo extends SerializerTypeInfo<Alert> {
    private static final long serialVersionUID = 1L;

    public static final AlertTypeInfo INSTANCE = new AlertTypeInfo();

    private AlertTypeInfo() {
        super(Alert.class);
    }

    @Override
    public TypeSerializer<Alert> createSerializer(SerializerConfig config) {
        return AlertSerializer.INSTANCE;
    }
}
