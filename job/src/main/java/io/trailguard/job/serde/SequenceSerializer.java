package io.trailguard.job.serde;

import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.IncidentSequence;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A principal's open {@link IncidentSequence} in checkpointed state: key, id, version, last time, unlisted count and
 * the members ({@link EvidenceCodec}), the record led by its format version. Sequences are mutable, so copies are
 * deep (through the binary form).
 */
public final class SequenceSerializer extends VersionedSerializer<IncidentSequence> {
    private static final long serialVersionUID = 1L;

    public static final SequenceSerializer INSTANCE = new SequenceSerializer();

    @Override
    void writeBody(IncidentSequence s, DataOutputView out) throws IOException {
        EvidenceCodec.text(s.key(), out);
        EvidenceCodec.text(s.id(), out);
        out.writeInt(s.version());
        out.writeLong(s.lastMillis());
        out.writeInt(s.unlisted());
        List<Evidence> members = s.members();
        out.writeInt(members.size());
        for (Evidence e : members) {
            EvidenceCodec.write(e, out);
        }
    }

    @Override
    IncidentSequence readBody(int format, DataInputView in) throws IOException {
        String key = EvidenceCodec.text(in);
        String id = EvidenceCodec.text(in);
        int version = in.readInt();
        long last = in.readLong();
        int unlisted = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > IncidentSequence.MAX_MEMBERS) {
            throw new IOException("corrupt incident state: " + n + " members");
        }
        List<Evidence> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(EvidenceCodec.read(in));
        }
        return new IncidentSequence(key, id, members, version, last, unlisted);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public IncidentSequence copy(IncidentSequence from) {
        return from == null ? null : new IncidentSequence(from.key(), from.id(), from.members(), from.version(),
                from.lastMillis(), from.unlisted());
    }

    @Override
    public TypeSerializerSnapshot<IncidentSequence> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot; each record carries its format version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<IncidentSequence> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
