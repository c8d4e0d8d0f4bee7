package io.trailguard.job.sink.ocsf.lake;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Objects;

/**
 * The committable of the Security Lake sink: one closed Parquet file uploaded to its staging key, to be copied to its
 * final key once the checkpoint that produced it completes. Both keys and the file's token (a random id the staged
 * object carries as user metadata {@value LakeS3#TOKEN}, which the copy keeps) are fixed when the file is staged, so
 * a commit retried after a restart copies the same object to the same place, and an object found at the final key is
 * known to be this file (same token) or another one that took its name (see {@link #fallbackKey}).
 */
public final class StagedObject {
    private final String bucket;
    private final String finalKey;
    private final String stagingBucket;
    private final String stagingKey;
    private final String token;
    private final long findings;

    /** @param token the staged object's token; null for a committable of version 1, which had none */
    public StagedObject(String bucket, String finalKey, String stagingBucket, String stagingKey, String token,
                        long findings) {
        this.bucket = bucket;
        this.finalKey = finalKey;
        this.stagingBucket = stagingBucket;
        this.stagingKey = stagingKey;
        this.token = token;
        this.findings = findings;
    }

    public String bucket() {
        return bucket;
    }

    public String finalKey() {
        return finalKey;
    }

    /**
     * Where the file is published when a different object (another token) already holds {@link #finalKey}: the same
     * name with the token before {@code .parquet}. Fixed by the committable, so a retried commit looks there too.
     */
    public String fallbackKey() {
        String base = finalKey.endsWith(".parquet") ? finalKey.substring(0, finalKey.length() - 8) : finalKey;
        return base + "-" + token + ".parquet";
    }

    public String stagingBucket() {
        return stagingBucket;
    }

    public String stagingKey() {
        return stagingKey;
    }

    public String token() {
        return token;
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
        return s.bucket.equals(bucket) && s.finalKey.equals(finalKey) && s.stagingBucket.equals(stagingBucket)
                && s.stagingKey.equals(stagingKey) && Objects.equals(s.token, token) && s.findings == findings;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, finalKey, stagingBucket, stagingKey, token, findings);
    }

    @Override
    public String toString() {
        return "s3://" + stagingBucket + "/" + stagingKey + " -> s3://" + bucket + "/" + finalKey + " (" + findings
                + " findings, token " + token + ")";
    }

    /**
     * Version 2: bucket, final key, staging bucket, staging key, token (UTF), finding count (long). Version 1 (bucket,
     * staging key, final key, count; staging in the same bucket, no token) is still read.
     */
    public static final class Serializer implements SimpleVersionedSerializer<StagedObject> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(StagedObject o) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(o.bucket);
            out.writeUTF(o.finalKey);
            out.writeUTF(o.stagingBucket);
            out.writeUTF(o.stagingKey);
            out.writeUTF(o.token);
            out.writeLong(o.findings);
            return out.getCopyOfBuffer();
        }

        @Override
        public StagedObject deserialize(int version, byte[] bytes) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            switch (version) {
                case 1: {
                    String bucket = in.readUTF();
                    String stagingKey = in.readUTF();
                    String finalKey = in.readUTF();
                    return new StagedObject(bucket, finalKey, bucket, stagingKey, null, in.readLong());
                }
                case 2:
                    return new StagedObject(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                            in.readLong());
                default:
                    throw new IOException("unknown StagedObject version " + version);
            }
        }
    }
}
