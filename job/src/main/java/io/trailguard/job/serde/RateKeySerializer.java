package io.trailguard.job.serde;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * The rate-rule operator's key serializer: the bytes of Flink's {@link StringSerializer} (so its keys in checkpoints,
 * savepoints and RocksDB are those of a {@code String} key), and what it reads is shared through
 * {@link RestoredKeys}, so a restored key's state-map entry and timer hold one {@code String}, as a counted key's do.
 *
 * <p>Compatibility: a snapshot taken with Flink's {@code StringSerializer} as key serializer (the earlier job)
 * restores as is, as the bytes are the same; Flink 1.20 asks the new serializer's snapshot
 * ({@link Snapshot#resolveSchemaCompatibility}). The reverse does not hold: Flink's {@code StringSerializer} refuses
 * this serializer's snapshot, so a savepoint of this job does not restore into a job keyed by a plain
 * {@code String} type.
 */
public final class RateKeySerializer extends TypeSerializer<String> {
    private static final long serialVersionUID = 1L;

    public static final RateKeySerializer INSTANCE = new RateKeySerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    /** Stateless (the shared keys are per thread, in {@link RestoredKeys}): one instance serves every user. */
    @Override
    public TypeSerializer<String> duplicate() {
        return this;
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public String copy(String from, String reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(String key, DataOutputView out) throws IOException {
        StringValue.writeString(key, out);
    }

    @Override
    public String deserialize(DataInputView in) throws IOException {
        String key = StringValue.readString(in);
        return key == null ? null : RestoredKeys.intern(key);
    }

    @Override
    public String deserialize(String reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        StringValue.copyString(in, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateKeySerializer;
    }

    @Override
    public int hashCode() {
        return RateKeySerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    @Override
    public String toString() {
        return "RateKeySerializer";
    }

    /** The serializer's snapshot (no configuration); compatible as is with its own and with Flink's String key's. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(
                TypeSerializerSnapshot<String> old) {
            if (old instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }
}
