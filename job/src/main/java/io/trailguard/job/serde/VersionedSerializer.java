package io.trailguard.job.serde;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * A serializer of a state value whose every record starts with the format version it was
 * written in ({@link #FORMAT}); reading a record of an unknown version fails with that version named, instead of
 * misreading it. A later format adds a version and keeps reading the old ones.
 */
abstract class VersionedSerializer<T> extends StatelessSerializer<T> {
    private static final long serialVersionUID = 1L;

    /** The format this code writes. */
    static final int FORMAT = 1;

    abstract void writeBody(T value, DataOutputView out) throws IOException;

    abstract T readBody(int format, DataInputView in) throws IOException;

    @Override
    public final void serialize(T value, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        writeBody(value, out);
    }

    @Override
    public final T deserialize(DataInputView in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException(getClass().getSimpleName() + ": state written in format " + format
                    + ", this version reads format " + FORMAT);
        }
        return readBody(format, in);
    }
}
