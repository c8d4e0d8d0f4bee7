package io.trailguard.job.serde;

import io.trailguard.rules.aggregate.Interner;
import io.trailguard.rules.aggregate.SingleEntryWindow;
import io.trailguard.rules.aggregate.StoredWindow;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flink's serializer for the rate-rule state, a {@link WindowState} or its single-entry form ({@link StoredWindow}:
 * both are written alike, and reading gives the single-entry form where it applies), in a compact format of its own
 * instead of the POJO serializer's: a format byte, the rule fingerprint, the suppression fields only when set, then the
 * entries with their times as variable-length deltas (entries are in time order), a UUID event id as two longs, and
 * every string written once per state (a repeat is a back-reference to its first occurrence in the same state). Reading
 * shares repeated strings and output arrays through an {@link Interner}, as the operator does when it counts a signal,
 * so a restored state holds no more copies than the state that was snapshotted. An interner makes the serializer
 * stateful: {@link #duplicate()} gives each user its own.
 *
 * <p>A checkpoint or savepoint whose state was written by Flink's POJO serializer of {@link WindowState} (the
 * earlier layout) restores: it is read with that serializer and written in this format from then on.
 */
public final class WindowStateSerializer extends TypeSerializer<Object> {
    private static final long serialVersionUID = 1L;

    /** The record format this code writes and reads. */
    static final int FORMAT = 1;

    private static final int HAS_SUPPRESSION = 1;
    private static final int HAS_OPEN_WINDOW = 2;
    private static final int HAS_FIRED = 4;

    private static final int ID_NONE = 0;
    private static final int ID_UUID = 1;
    private static final int ID_TEXT = 2;

    /** String reference codes: null, a new string (its text follows), else {@code 2 + index} of an earlier one. */
    private static final int TEXT_NULL = 0;
    private static final int TEXT_NEW = 1;

    private transient Interner interner;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<Object> duplicate() {
        return new WindowStateSerializer();
    }

    @Override
    public Object createInstance() {
        return new WindowState();
    }

    /**
     * A copy whose arrays and entries are its own (output arrays are shared: they are never modified); a
     * {@link SingleEntryWindow} is its own copy, as it is never modified (a state opened from it is a new object).
     */
    @Override
    public Object copy(Object stored) {
        if (stored instanceof SingleEntryWindow) {
            return stored;
        }
        WindowState from = StoredWindow.open(stored);
        WindowState s = new WindowState();
        s.fingerprint = from.fingerprint;
        s.size = from.size;
        s.suppressedUntil = from.suppressedUntil;
        s.openWindowStart = from.openWindowStart;
        s.fired = from.fired == null ? null : from.fired.clone();
        s.entries = new WindowEntry[from.entries.length];
        for (int i = 0; i < from.size; i++) {
            s.entries[i] = copy(from.entries[i]);
        }
        return s;
    }

    private static WindowEntry copy(WindowEntry from) {
        WindowEntry e = new WindowEntry();
        e.time = from.time;
        e.idHigh = from.idHigh;
        e.idLow = from.idLow;
        e.idText = from.idText;
        e.value = from.value;
        e.outputs = from.outputs;
        e.outputFrom = from.outputFrom;
        e.account = from.account;
        e.region = from.region;
        return e;
    }

    @Override
    public Object copy(Object from, Object reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Object stored, DataOutputView out) throws IOException {
        WindowState s = StoredWindow.open(stored);
        out.writeByte(FORMAT);
        out.writeLong(s.fingerprint);
        int flags = (s.suppressedUntil != WindowState.NONE ? HAS_SUPPRESSION : 0)
                | (s.openWindowStart != WindowState.NONE ? HAS_OPEN_WINDOW : 0) | (s.fired != null ? HAS_FIRED : 0);
        out.writeByte(flags);
        if ((flags & HAS_SUPPRESSION) != 0) {
            out.writeLong(s.suppressedUntil);
        }
        if ((flags & HAS_OPEN_WINDOW) != 0) {
            out.writeLong(s.openWindowStart);
        }
        if ((flags & HAS_FIRED) != 0) {
            writeVarLong(s.fired.length, out);
            for (long f : s.fired) {
                out.writeLong(f);
            }
        }
        writeVarLong(s.size, out);
        List<String> written = new ArrayList<>(0);
        long previous = 0;
        for (int i = 0; i < s.size; i++) {
            WindowEntry e = s.entries[i];
            if (i == 0) {
                out.writeLong(e.time);
            } else {
                writeVarLong(zigZag(e.time - previous), out);
            }
            previous = e.time;
            if (e.idText != null) {
                out.writeByte(ID_TEXT);
                writeText(e.idText, written, out);
            } else if (e.idHigh == 0 && e.idLow == 0) {
                out.writeByte(ID_NONE);
            } else {
                out.writeByte(ID_UUID);
                out.writeLong(e.idHigh);
                out.writeLong(e.idLow);
            }
            writeText(e.value, written, out);
            writeText(e.account, written, out);
            writeText(e.region, written, out);
            writeVarLong(e.outputs == null ? 0 : e.outputs.length + 1L, out);
            if (e.outputs != null) {
                for (String o : e.outputs) {
                    writeText(o, written, out);
                }
            }
            writeVarLong(e.outputFrom & 0xffffffffL, out);
        }
    }

    @Override
    public Object deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("rate-rule state written in format " + format + ", this version reads format "
                    + FORMAT);
        }
        if (interner == null) {
            interner = new Interner(Interner.DEFAULT_SLOTS);
        }
        WindowState s = new WindowState();
        s.fingerprint = in.readLong();
        int flags = in.readUnsignedByte();
        if ((flags & HAS_SUPPRESSION) != 0) {
            s.suppressedUntil = in.readLong();
        }
        if ((flags & HAS_OPEN_WINDOW) != 0) {
            s.openWindowStart = in.readLong();
        }
        if ((flags & HAS_FIRED) != 0) {
            long[] fired = new long[count(in)];
            for (int i = 0; i < fired.length; i++) {
                fired[i] = in.readLong();
            }
            s.fired = fired;
        }
        int size = count(in);
        WindowEntry[] entries = new WindowEntry[size];
        List<String> read = new ArrayList<>(0);
        long time = 0;
        for (int i = 0; i < size; i++) {
            WindowEntry e = new WindowEntry();
            time = i == 0 ? in.readLong() : time + unZigZag(readVarLong(in));
            e.time = time;
            int id = in.readUnsignedByte();
            if (id == ID_TEXT) {
                e.idText = readText(read, in);
            } else if (id == ID_UUID) {
                e.idHigh = in.readLong();
                e.idLow = in.readLong();
            } else if (id != ID_NONE) {
                throw new IOException("corrupt rate-rule state: event id kind " + id);
            }
            e.value = readText(read, in);
            e.account = readText(read, in);
            e.region = readText(read, in);
            int outputs = count(in);
            if (outputs > 0) {
                String[] o = new String[outputs - 1];
                for (int k = 0; k < o.length; k++) {
                    o[k] = readText(read, in);
                }
                e.outputs = interner.intern(o);
            }
            e.outputFrom = (int) readVarLong(in);
            entries[i] = e;
        }
        s.entries = entries;
        s.size = size;
        return StoredWindow.of(s);
    }

    @Override
    public Object deserialize(Object reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeText(String s, List<String> written, DataOutputView out) throws IOException {
        if (s == null) {
            writeVarLong(TEXT_NULL, out);
            return;
        }
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i).equals(s)) {
                writeVarLong(TEXT_NEW + 1L + i, out);
                return;
            }
        }
        writeVarLong(TEXT_NEW, out);
        StringValue.writeString(s, out);
        written.add(s);
    }

    private String readText(List<String> read, DataInputView in) throws IOException {
        long code = readVarLong(in);
        if (code == TEXT_NULL) {
            return null;
        }
        if (code == TEXT_NEW) {
            String s = interner.intern(StringValue.readString(in));
            read.add(s);
            return s;
        }
        long i = code - TEXT_NEW - 1;
        if (i >= read.size()) {
            throw new IOException("corrupt rate-rule state: string reference " + i + " of " + read.size());
        }
        return read.get((int) i);
    }

    private static int count(DataInputView in) throws IOException {
        long n = readVarLong(in);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException("corrupt rate-rule state: count " + n);
        }
        return (int) n;
    }

    static void writeVarLong(long v, DataOutputView out) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("corrupt rate-rule state: variable-length number longer than 10 bytes");
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowStateSerializer;
    }

    @Override
    public int hashCode() {
        return WindowStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<Object> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * The serializer's snapshot (it has no configuration). The state of an earlier layout, a snapshot of Flink's
     * POJO serializer of {@link WindowState}, is compatible after migration: it is read with the POJO serializer
     * restored from that snapshot and rewritten in this format.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<Object> {
        private static final int VERSION = 1;

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion != VERSION) {
                throw new IOException("unknown rate-rule state serializer snapshot version " + readVersion);
            }
        }

        @Override
        public TypeSerializer<Object> restoreSerializer() {
            return new WindowStateSerializer();
        }

        @Override
        public TypeSerializerSchemaCompatibility<Object> resolveSchemaCompatibility(
                TypeSerializerSnapshot<Object> old) {
            if (old instanceof Snapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    @Override
    public String toString() {
        return "WindowStateSerializer{format " + FORMAT + "}";
    }
}
