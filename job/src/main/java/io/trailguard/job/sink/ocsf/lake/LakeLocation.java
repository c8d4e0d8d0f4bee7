package io.trailguard.job.sink.ocsf.lake;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a Security Lake custom source's objects go: {@code s3://BUCKET/PREFIX}, the prefix Security Lake gives the
 * source (normally {@code ext/SOURCE_NAME}). Findings land at
 * {@code PREFIX/region=R/accountId=A/eventDay=YYYYMMDD/NAME.parquet}; files waiting for their checkpoint to complete
 * at {@code PREFIX/_trailguard_staging/...}, a folder whose leading underscore query engines (Athena, Hive, Spark)
 * treat as hidden.
 */
public final class LakeLocation implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String STAGING = "_trailguard_staging";

    private final String bucket;
    private final String prefix;

    private LakeLocation(String bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** {@code s3://BUCKET/PREFIX} (PREFIX may be empty); throws IllegalArgumentException otherwise. */
    public static LakeLocation parse(String uri) {
        if (!uri.toLowerCase(Locale.ROOT).startsWith("s3://")) {
            throw new IllegalArgumentException("'" + uri + "' is not an s3://BUCKET/PREFIX location");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + uri + "': '" + bucket + "' is not an S3 bucket name");
        }
        return new LakeLocation(bucket, prefix);
    }

    public String bucket() {
        return bucket;
    }

    public String prefix() {
        return prefix;
    }

    /** The key a committed file of this partition has. */
    public String finalKey(LakePartition p, String fileName) {
        return under(p.path() + "/" + fileName);
    }

    /** The key a file waits at until its checkpoint completes. */
    public String stagingKey(LakePartition p, String fileName) {
        return under(STAGING + "/" + p.path() + "/" + fileName);
    }

    /** The staging folder's key prefix. */
    public String stagingPrefix() {
        return under(STAGING + "/");
    }

    private String under(String rest) {
        return prefix.isEmpty() ? rest : prefix + "/" + rest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LakeLocation && ((LakeLocation) o).bucket.equals(bucket)
                && ((LakeLocation) o).prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, prefix);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
