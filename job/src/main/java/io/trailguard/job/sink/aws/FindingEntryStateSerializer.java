package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Checkpoint form of buffered findings, version 2: finding id, the alert as its JSON line (the replay contract,
 * stable across versions), the size, then CreatedAt and UpdatedAt (epoch millis). Version 1 had no times: its
 * entries get the restore time as both. The finding is mapped again on restore.
 */
public final class FindingEntryStateSerializer extends AsyncSinkWriterStateSerializer<FindingEntry> {
    private int reading = 2;

    @Override
    public org.apache.flink.connector.base.sink.writer.BufferedRequestState<FindingEntry> deserialize(int version,
            byte[] serialized) throws IOException {
        if (version < 1 || version > 2) {
            throw new IOException("unknown Security Hub buffer state version " + version);
        }
        reading = version;
        return super.deserialize(version, serialized);
    }

    @Override
    protected void serializeRequestToStream(FindingEntry entry, DataOutputStream out) throws IOException {
        out.writeUTF(entry.findingId());
        byte[] json = entry.alert().toJson().getBytes(StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
        out.writeLong(entry.sizeInBytes());
        out.writeLong(entry.times().createdAt());
        out.writeLong(entry.times().updatedAt());
    }

    @Override
    protected FindingEntry deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        String id = in.readUTF();
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        long size = in.readLong();
        FindingTimes times = reading >= 2 ? new FindingTimes(in.readLong(), in.readLong())
                : FindingTimes.at(System.currentTimeMillis());
        return new FindingEntry(id, Alert.fromJson(new String(json, StandardCharsets.UTF_8)), times, size, null);
    }

    @Override
    public int getVersion() {
        return 2;
    }
}
