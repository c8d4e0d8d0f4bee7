package io.trailguard.job.serde;

import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Flink's serializer for {@link Evaluated}, the record every event becomes after evaluation: the event key and time,
 * the alerts in {@link AlertCodec} form, the signals with the nested (POJO) signal serializer, and the source shard. It replaces the
 * generic path, where the lists went through Kryo. Copies share the (immutable) alerts and copy the signals.
 */
public final class EvaluatedSerializer extends TypeSerializer<Evaluated> {
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<Signal> signals;
    /** The {@link AlertCodec} format the alerts are read in (an older one to migrate restored records). */
    private final int alertFormat;

    public EvaluatedSerializer(TypeSerializer<Signal> signals) {
        this(signals, AlertCodec.FORMAT);
    }

    EvaluatedSerializer(TypeSerializer<Signal> signals, int alertFormat) {
        this.signals = signals;
        this.alertFormat = alertFormat;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<Evaluated> duplicate() {
        TypeSerializer<Signal> d = signals.duplicate();
        return d == signals ? this : new EvaluatedSerializer(d, alertFormat);
    }

    @Override
    public Evaluated createInstance() {
        return new Evaluated();
    }

    @Override
    public Evaluated copy(Evaluated from) {
        List<Signal> s = null;
        if (from.signals != null) {
            s = new ArrayList<>(from.signals.size());
            for (Signal x : from.signals) {
                s.add(signals.copy(x));
            }
        }
        Evaluated e = new Evaluated();
        e.eventKey = from.eventKey;
        e.eventTimeMillis = from.eventTimeMillis;
        e.alerts = from.alerts == null ? null : new ArrayList<>(from.alerts);
        e.signals = s;
        e.source = from.source;
        return e;
    }

    @Override
    public Evaluated copy(Evaluated from, Evaluated reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Evaluated e, DataOutputView out) throws IOException {
        BinaryText.write(e.eventKey, out);
        out.writeLong(e.eventTimeMillis);
        if (e.alerts == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(e.alerts.size());
            for (Alert a : e.alerts) {
                AlertCodec.write(a, out);
            }
        }
        if (e.signals == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(e.signals.size());
            for (Signal s : e.signals) {
                signals.serialize(s, out);
            }
        }
        BinaryText.write(e.source, out);
    }

    @Override
    public Evaluated deserialize(DataInputView in) throws IOException {
        Evaluated e = new Evaluated();
        e.eventKey = BinaryText.read(in);
        e.eventTimeMillis = in.readLong();
        int alerts = in.readInt();
        if (alerts >= 0) {
            e.alerts = new ArrayList<>(alerts);
            for (int i = 0; i < alerts; i++) {
                e.alerts.add(AlertCodec.read(in, alertFormat));
            }
        }
        int count = in.readInt();
        if (count >= 0) {
            e.signals = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                e.signals.add(signals.deserialize(in));
            }
        }
        e.source = BinaryText.read(in);
        return e;
    }

    @Override
    public Evaluated deserialize(Evaluated reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluatedSerializer && ((EvaluatedSerializer) o).signals.equals(signals)
                && ((EvaluatedSerializer) o).alertFormat == alertFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(EvaluatedSerializer.class, signals, alertFormat);
    }

    @Override
    public TypeSerializerSnapshot<Evaluated> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /**
     * Version 3: the format above, alerts in {@link AlertCodec} format 3. Version 2 had alerts in format 2 (no rule
     * version): it resolves as compatible after migration, read with that format. Version 1 had no source shard;
     * it was never kept in state. The nested snapshot is the signal serializer's.
     */
    public static final class Snapshot extends CompositeTypeSerializerSnapshot<Evaluated, EvaluatedSerializer> {
        private static final int VERSION = 3;
        private int alertFormat = AlertCodec.FORMAT;

        public Snapshot() {
        }

        Snapshot(EvaluatedSerializer serializer) {
            super(serializer);
            this.alertFormat = serializer.alertFormat;
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected void readOuterSnapshot(int readOuterSnapshotVersion, DataInputView in, ClassLoader loader) {
            alertFormat = readOuterSnapshotVersion >= VERSION ? AlertCodec.FORMAT : 2;
        }

        @Override
        protected OuterSchemaCompatibility resolveOuterSchemaCompatibility(
                TypeSerializerSnapshot<Evaluated> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot)) {
                return OuterSchemaCompatibility.INCOMPATIBLE;
            }
            return ((Snapshot) oldSnapshot).alertFormat == alertFormat ? OuterSchemaCompatibility.COMPATIBLE_AS_IS
                    : OuterSchemaCompatibility.COMPATIBLE_AFTER_MIGRATION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(EvaluatedSerializer outer) {
            return new TypeSerializer<?>[] {outer.signals};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected EvaluatedSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new EvaluatedSerializer((TypeSerializer<Signal>) nested[0], alertFormat);
        }
    }
}
