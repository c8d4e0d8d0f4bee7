package io.trailguard.job.serde;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the rate-rule operator's key ({@code Signal.key()}, a {@code String}), with
 * {@link RateKeySerializer} as its serializer: a valid key type (a {@code String}'s equality and hash code).
 */
public final class RateKeyTypeInfo extends SerializerTypeInfo<String> {
    private static final long serialVersionUID = 1L;

    public static final RateKeyTypeInfo INSTANCE = new RateKeyTypeInfo();

    public RateKeyTypeInfo() {
        super(String.class);
    }

    @Override
    public TypeSerializer<String> createSerializer(SerializerConfig config) {
        return RateKeySerializer.INSTANCE;
    }

    @Override
    public boolean isKeyType() {
        return true;
    }

    @Override
    public String toString() {
        return "RateKey";
    }
}
