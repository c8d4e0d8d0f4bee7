package io.trailguard.job.serde;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * {@link Alert}s between the finding-times stage and the finding outputs: the {@link AlertCodec} form, then the
 * alert's {@link FindingTimes} behind a presence flag (versioned). The plain alert streams keep
 * {@link AlertSerializer}, which carries no times.
 */
public final class StampedAlertSerializer extends VersionedSerializer<Alert> {
    private static final long serialVersionUID = 1L;

    public static final StampedAlertSerializer INSTANCE = new StampedAlertSerializer();

    @Override
    void writeBody(Alert a, DataOutputView out) throws IOException {
        AlertCodec.write(a, out);
        FindingTimes t = a.findingTimes();
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.createdAt());
            out.writeLong(t.updatedAt());
        }
    }

    @Override
    Alert readBody(int format, DataInputView in) throws IOException {
        Alert a = AlertCodec.read(in);
        return in.readBoolean() ? a.withFindingTimes(new FindingTimes(in.readLong(), in.readLong())) : a;
    }

    @Override
    public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot; each record carries its format version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Alert> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
