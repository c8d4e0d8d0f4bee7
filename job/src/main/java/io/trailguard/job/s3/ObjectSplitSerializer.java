package io.trailguard.job.s3;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Checkpoint form of an {@link ObjectSplit} (version 1). */
public final class ObjectSplitSerializer implements SimpleVersionedSerializer<ObjectSplit> {
    public static final ObjectSplitSerializer INSTANCE = new ObjectSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ObjectSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public ObjectSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown S3 object split version " + version);
        }
        return read(new DataInputDeserializer(serialized));
    }

    static void write(ObjectSplit s, DataOutputView out) throws IOException {
        out.writeUTF(s.messageId());
        out.writeInt(s.index());
        out.writeUTF(s.object().bucket());
        out.writeUTF(s.object().key());
        out.writeUTF(s.shard());
        out.writeLong(s.recordsDone());
        out.writeBoolean(s.finished());
    }

    static ObjectSplit read(DataInputView in) throws IOException {
        String messageId = in.readUTF();
        int index = in.readInt();
        ObjectRef object = new ObjectRef(in.readUTF(), in.readUTF());
        return new ObjectSplit(messageId, index, object, in.readUTF(), in.readLong(), in.readBoolean());
    }
}
