package io.trailguard.job.serde;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Flink's serializer for streams of {@link Alert}: the {@link AlertCodec} format; alerts are immutable. */
public final class AlertSerializer extends StatelessSerializer<Alert> {
    private static final long serialVersionUID = 1L;

    public static final AlertSerializer INSTANCE = new AlertSerializer();

    @Override
    public void serialize(Alert a, DataOutputView out) throws IOException {
        AlertCodec.write(a, out);
    }

    @Override
    public Alert deserialize(DataInputView in) throws IOException {
        return AlertCodec.read(in);
    }

    @Override
    public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
        return new Snapshot(AlertCodec.FORMAT);
    }

    /**
     * Snapshot version 4 records the {@link AlertCodec} format (2: the typed alert; 3: with the rule version); a
     * checkpoint of an older format resolves as compatible after migration, read by {@link OldFormatSerializer}.
     * Version 3 is what the
     * {@code SimpleTypeSerializerSnapshot} of format 1 wrote (version 2 its older layout with a class name): a
     * checkpoint holding format-1 alerts (in-flight records of an unaligned checkpoint) resolves as compatible
     * after migration, read by {@link Format1Serializer}.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<Alert> {
        private static final int VERSION = 4;
        private int format;

        public Snapshot() {
            this(AlertCodec.FORMAT);
        }

        Snapshot(int format) {
            this.format = format;
        }

        int format() {
            return format;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(format);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            switch (readVersion) {
                case 2:
                    in.readUTF(); // the serializer class name of the old layout
                    format = 1;
                    break;
                case 3:
                    format = 1;
                    break;
                case VERSION:
                    format = in.readInt();
                    break;
                default:
                    throw new IOException("unknown alert serializer snapshot version " + readVersion);
            }
        }

        @Override
        public TypeSerializer<Alert> restoreSerializer() {
            if (format == 1) {
                return Format1Serializer.INSTANCE;
            }
            return format < AlertCodec.FORMAT ? new OldFormatSerializer(format) : INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<Alert> resolveSchemaCompatibility(
                TypeSerializerSnapshot<Alert> old) {
            if (!(old instanceof Snapshot)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            int oldFormat = ((Snapshot) old).format;
            if (oldFormat == format) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return oldFormat < format ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    /** Reads an older typed format (2: no rule version) to migrate restored state; read only. */
    public static final class OldFormatSerializer extends StatelessSerializer<Alert> {
        private static final long serialVersionUID = 1L;
        private final int format;

        OldFormatSerializer(int format) {
            this.format = format;
        }

        @Override
        public void serialize(Alert a, DataOutputView out) throws IOException {
            throw new UnsupportedOperationException("format " + format + " is read only, for migration");
        }

        @Override
        public Alert deserialize(DataInputView in) throws IOException {
            return AlertCodec.read(in, format);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            throw new UnsupportedOperationException("format " + format + " is read only, for migration");
        }

        @Override
        public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
            return new Snapshot(format);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OldFormatSerializer && ((OldFormatSerializer) o).format == format;
        }

        @Override
        public int hashCode() {
            return format;
        }
    }

    /** Reads format 1 (to migrate restored state); writes the current format. */
    public static final class Format1Serializer extends StatelessSerializer<Alert> {
        private static final long serialVersionUID = 1L;
        public static final Format1Serializer INSTANCE = new Format1Serializer();

        @Override
        public void serialize(Alert a, DataOutputView out) throws IOException {
            throw new UnsupportedOperationException("format 1 is read only, for migration");
        }

        @Override
        public Alert deserialize(DataInputView in) throws IOException {
            return AlertCodec.readFormat1(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            throw new UnsupportedOperationException("format 1 is read only, for migration");
        }

        @Override
        public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
            return new Snapshot(1);
        }
    }
}
