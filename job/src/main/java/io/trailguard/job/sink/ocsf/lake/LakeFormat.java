package io.trailguard.job.sink.ocsf.lake;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the Security Lake output writes its Parquet objects: the page compression ({@code lake.compression}: ZSTD,
 * SNAPPY or GZIP), the row-group size ({@code lake.row_group_size}: parquet starts a new row group once the buffered
 * one reaches it) and the target object size ({@code lake.target_object_size}: a file of a partition that reaches it
 * is closed and a new one begun, so no object is much larger; smaller objects come from the checkpoint, which closes
 * every file).
 */
public final class LakeFormat implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");
    public static final LakeFormat DEFAULT = new LakeFormat(CompressionCodecName.ZSTD, 128L << 20, 256L << 20);

    private final CompressionCodecName codec;
    private final long rowGroupBytes;
    private final long targetObjectBytes;

    public LakeFormat(CompressionCodecName codec, long rowGroupBytes, long targetObjectBytes) {
        if (codec == CompressionCodecName.UNCOMPRESSED || !PageCodecs.supports(codec)) {
            throw new IllegalArgumentException("lake.compression " + codec + ": use ZSTD, SNAPPY or GZIP");
        }
        if (rowGroupBytes < 1024 || rowGroupBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("lake.row_group_size of " + rowGroupBytes + " bytes: from 1kb to 2047mb");
        }
        if (targetObjectBytes < 1024) {
            throw new IllegalArgumentException("lake.target_object_size of " + targetObjectBytes + " bytes: at least 1kb");
        }
        this.codec = codec;
        this.rowGroupBytes = rowGroupBytes;
        this.targetObjectBytes = targetObjectBytes;
    }

    /** From the setting values; throws IllegalArgumentException naming the value that is wrong. */
    public static LakeFormat of(String compression, String rowGroupSize, String targetObjectSize) {
        CompressionCodecName codec;
        try {
            codec = CompressionCodecName.valueOf(compression.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lake.compression '" + compression + "': use ZSTD, SNAPPY or GZIP");
        }
        try {
            return new LakeFormat(codec, bytes(rowGroupSize, "lake.row_group_size"),
                    bytes(targetObjectSize, "lake.target_object_size"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lake.*: " + e.getMessage(), e);
        }
    }

    /** {@code 64mb}, {@code 512kb}, {@code 1gb} (binary units: 1kb = 1024 bytes) or a number of bytes. */
    static long bytes(String size, String key) {
        Matcher m = SIZE.matcher(size.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " '" + size + "' is not a size (e.g. 64mb, 512kb, 1gb)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : unit.startsWith("g") ? 30 : 0;
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(key + " '" + size + "' is too large");
        }
        return n << shift;
    }

    public CompressionCodecName codec() {
        return codec;
    }

    public long rowGroupBytes() {
        return rowGroupBytes;
    }

    public long targetObjectBytes() {
        return targetObjectBytes;
    }

    @Override
    public String toString() {
        return codec + ", row groups of " + rowGroupBytes + " bytes, objects up to about " + targetObjectBytes
                + " bytes";
    }
}
