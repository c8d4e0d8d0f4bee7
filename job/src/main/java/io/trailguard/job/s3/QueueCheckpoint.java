package io.trailguard.job.s3;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The enumerator's checkpoint: the messages in flight (receipt handle, splits not yet completed) and the splits not
 * yet handed to a reader. Splits already assigned are in the readers' checkpoints.
 */
public final class QueueCheckpoint {
    final List<InFlightMessage> messages;
    final List<ObjectSplit> unassigned;

    QueueCheckpoint(List<InFlightMessage> messages, List<ObjectSplit> unassigned) {
        this.messages = messages;
        this.unassigned = unassigned;
    }

    static QueueCheckpoint empty() {
        return new QueueCheckpoint(new ArrayList<>(), new ArrayList<>());
    }

    /** Version 1. */
    public static final class Serializer implements SimpleVersionedSerializer<QueueCheckpoint> {
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(QueueCheckpoint c) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            out.writeInt(c.messages.size());
            for (InFlightMessage m : c.messages) {
                out.writeUTF(m.messageId);
                out.writeUTF(m.receiptHandle);
                out.writeInt(m.openSplits.size());
                for (String s : m.openSplits) {
                    out.writeUTF(s);
                }
            }
            out.writeInt(c.unassigned.size());
            for (ObjectSplit s : c.unassigned) {
                ObjectSplitSerializer.write(s, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public QueueCheckpoint deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown queue checkpoint version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            int n = in.readInt();
            List<InFlightMessage> messages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                String handle = in.readUTF();
                int k = in.readInt();
                Set<String> open = new LinkedHashSet<>();
                for (int j = 0; j < k; j++) {
                    open.add(in.readUTF());
                }
                messages.add(new InFlightMessage(id, handle, open));
            }
            int u = in.readInt();
            List<ObjectSplit> unassigned = new ArrayList<>(u);
            for (int i = 0; i < u; i++) {
                unassigned.add(ObjectSplitSerializer.read(in));
            }
            return new QueueCheckpoint(messages, unassigned);
        }
    }
}
