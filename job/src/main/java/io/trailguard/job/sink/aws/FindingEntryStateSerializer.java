package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Checkpoint form of buffered findings: finding id, the alert as its JSON line (the replay contract, stable across
 * versions) and the size. The finding is mapped again on restore.
 */
public final class FindingEntryStateSerializer extends AsyncSinkWriterStateSerializer<FindingEntry> {
    @Override
    protected void serializeRequestToStream(FindingEntry entry, DataOutputStream out) throws IOException {
        out.writeUTF(entry.findingId());
        byte[] json = entry.alert().toJson().getBytes(StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
        out.writeLong(entry.sizeInBytes());
    }

    @Override
    protected FindingEntry deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        String id = in.readUTF();
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        long size = in.readLong();
        return new FindingEntry(id, Alert.fromJson(new String(json, StandardCharsets.UTF_8)), size, null);
    }

    @Override
    public int getVersion() {
        return 1;
    }
}
