package io.trailguard.job.sink.aws;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Checkpoint form of buffered CloudWatch Logs events: timestamp and UTF-8 message. */
public final class LogLineStateSerializer extends AsyncSinkWriterStateSerializer<LogLine> {
    @Override
    protected void serializeRequestToStream(LogLine line, DataOutputStream out) throws IOException {
        out.writeLong(line.timestamp());
        byte[] bytes = line.message().getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    protected LogLine deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        long t = in.readLong();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new LogLine(t, new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public int getVersion() {
        return 1;
    }
}
