package io.trailguard.job.serde;

import io.trailguard.rules.incident.Evidence;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** {@link Evidence} in transit and in the bounded stage's pending state ({@link EvidenceCodec}, versioned). */
public final class EvidenceSerializer extends VersionedSerializer<Evidence> {
    private static final long serialVersionUID = 1L;

    public static final EvidenceSerializer INSTANCE = new EvidenceSerializer();

    @Override
    void writeBody(Evidence e, DataOutputView out) throws IOException {
        EvidenceCodec.write(e, out);
    }

    @Override
    Evidence readBody(int format, DataInputView in) throws IOException {
        return EvidenceCodec.read(in);
    }

    @Override
    public TypeSerializerSnapshot<Evidence> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot; each record carries its format version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Evidence> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
