package io.trailguard.job.pipeline;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the pipeline's alert streams (set with {@code returns} where they are made, since {@link Alert} lives
 * in the Flink-free engine), serialised by {@link AlertSerializer} rather than Kryo.
 */
public final class AlertTypeInfo extends TypeInformation<Alert> {
    private static final long serialVersionUID = 1L;

    public static final AlertTypeInfo INSTANCE = new AlertTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Alert> getTypeClass() {
        return Alert.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Alert> createSerializer(SerializerConfig config) {
        return AlertSerializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<Alert> createSerializer(ExecutionConfig config) {
        return AlertSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "Alert";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertTypeInfo;
    }

    @Override
    public int hashCode() {
        return AlertTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof AlertTypeInfo;
    }
}
