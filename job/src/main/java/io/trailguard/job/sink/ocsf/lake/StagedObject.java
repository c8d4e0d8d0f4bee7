package io.trailguard.job.sink.ocsf.lake;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Objects;

/**
 * The committable of the Security Lake sink: one closed Parquet file uploaded to its staging key, to be moved to its
 * final key once the checkpoint that produced it completes. Both keys are fixed when the file is staged, so a commit
 * retried after a restart moves the same object to the same place.
 */
public final class StagedObject {
    private final String bucket;
    private final String stagingKey;
    private final String finalKey;
    private final long findings;

    public StagedObject(String bucket, String stagingKey, String finalKey, long findings) {
        this.bucket = bucket;
        this.stagingKey = stagingKey;
        this.finalKey = finalKey;
        this.findings = findings;
    }

    public String bucket() {
        return bucket;
    }

    public String stagingKey() {
        return stagingKey;
    }

    public String finalKey() {
        return finalKey;
    }

    public long findings() {
        return findings;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StagedObject)) {
            return false;
        }
        StagedObject s = (StagedObject) o;
        return s.bucket.equals(bucket) && s.stagingKey.equals(stagingKey) && s.finalKey.equals(finalKey)
                && s.findings == findings;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, stagingKey, finalKey, findings);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + stagingKey + " -> " + finalKey + " (" + findings + " findings)";
    }

    /** Version 1: bucket, staging key, final key (UTF), finding count (long). */
    public static final class Serializer implements SimpleVersionedSerializer<StagedObject> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(StagedObject o) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(o.bucket);
            out.writeUTF(o.stagingKey);
            out.writeUTF(o.finalKey);
            out.writeLong(o.findings);
            return out.getCopyOfBuffer();
        }

        @Override
        public StagedObject deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) {
                throw new IOException("unknown StagedObject version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            return new StagedObject(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong());
        }
    }
}
