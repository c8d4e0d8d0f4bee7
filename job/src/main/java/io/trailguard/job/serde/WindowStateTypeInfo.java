package io.trailguard.job.serde;

import io.trailguard.rules.aggregate.WindowState;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the rate-rule state {@link WindowState}, with {@link WindowStateSerializer} as its serializer. */
public final class WindowStateTypeInfo extends SerializerTypeInfo<WindowState> {
    private static final long serialVersionUID = 1L;

    public WindowStateTypeInfo() {
        super(WindowState.class);
    }

    @Override
    public TypeSerializer<WindowState> createSerializer(SerializerConfig config) {
        return new WindowStateSerializer();
    }
}
