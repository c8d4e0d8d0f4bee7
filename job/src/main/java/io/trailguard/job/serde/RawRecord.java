package io.trailguard.job.serde;

import java.util.Arrays;
import java.util.Objects;

/**
 * One undecoded input document as a source read it: a Kinesis record's data, a line of a JSON-lines file, or a whole
 * file. Unwrapping and evaluation happen later, in the rule-evaluating operator, so that each event is parsed exactly once.
 *
 * <p>A Flink POJO (public fields, no-argument constructor), so it moves between operators without Kryo.
 */
public class RawRecord {
    /** The document's bytes (UTF-8 JSON, usually). */
    public byte[] data;
    /** Where it came from: {@code shardId:sequenceNumber} for Kinesis, {@code file:line} or {@code file} in replay. */
    public String origin;
    /**
     * Why the source could not read the document (a corrupt gzip file, an I/O error), or null. A record with a
     * failure becomes a dead letter with this reason; {@link #data} then holds what could be read, for the excerpt.
     */
    public String failure;
    /**
     * The event-time shard ({@code operators.ShardEventTime}) when the source knows a better one than the origin's shard part
     * (the S3 source: the file's {@code ACCOUNT/REGION}), else null.
     */
    public String shard;

    public RawRecord() {
    }

    public RawRecord(byte[] data, String origin) {
        this(data, origin, null);
    }

    public RawRecord(byte[] data, String origin, String failure) {
        this.data = data;
        this.origin = origin;
        this.failure = failure;
    }

    /** A document the source could not read. */
    public static RawRecord failed(String origin, String failure, byte[] partialData) {
        return new RawRecord(partialData == null ? new byte[0] : partialData, origin, failure);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RawRecord)) {
            return false;
        }
        RawRecord that = (RawRecord) o;
        return Arrays.equals(data, that.data) && Objects.equals(origin, that.origin)
                && Objects.equals(failure, that.failure) && Objects.equals(shard, that.shard);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(origin, failure) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RawRecord{" + origin + ", " + (data == null ? 0 : data.length) + " bytes"
                + (failure == null ? "" : ", failure=" + failure) + "}";
    }
}
