package io.trailguard.job.serde;

import io.trailguard.rules.aggregate.WindowState;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the rate-rule state, a {@link WindowState} or its single-entry form (see
 * {@link io.trailguard.rules.aggregate.StoredWindow}; hence {@code Object}), with {@link WindowStateSerializer} as
 * its serializer.
 */
public final class WindowStateTypeInfo extends SerializerTypeInfo<Object> {
    private static final long serialVersionUID = 1L;

    public WindowStateTypeInfo() {
        super(Object.class);
    }

    @Override
    public TypeSerializer<Object> createSerializer(SerializerConfig config) {
        return new WindowStateSerializer();
    }

    @Override
    public String toString() {
        return "WindowState";
    }
}
