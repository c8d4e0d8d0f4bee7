package io.trailguard.job.serde;

import io.trailguard.rules.engine.FindingTimes;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** A finding id's last {@link FindingTimes} in keyed state: CreatedAt, UpdatedAt (epoch millis; versioned). */
public final class FindingTimesSerializer extends VersionedSerializer<FindingTimes> {
    private static final long serialVersionUID = 1L;

    public static final FindingTimesSerializer INSTANCE = new FindingTimesSerializer();

    @Override
    void writeBody(FindingTimes t, DataOutputView out) throws IOException {
        out.writeLong(t.createdAt());
        out.writeLong(t.updatedAt());
    }

    @Override
    FindingTimes readBody(int format, DataInputView in) throws IOException {
        return new FindingTimes(in.readLong(), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<FindingTimes> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot; each record carries its format version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FindingTimes> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
