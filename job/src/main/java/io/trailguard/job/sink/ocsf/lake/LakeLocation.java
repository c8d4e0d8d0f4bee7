package io.trailguard.job.sink.ocsf.lake;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a Security Lake custom source's objects go, and where they wait for their checkpoint. The final location is
 * {@code s3://BUCKET/PREFIX}, the location Security Lake gives the source (normally {@code ext/SOURCE_NAME}); findings
 * land at {@code PREFIX/region=R/accountId=A/eventDay=YYYYMMDD/NAME.parquet}. The staging location holds files whose
 * checkpoint has not completed; it must lie outside the final location, because Athena reads every object under a
 * table's location (it cannot ignore files in the prefix, whatever their name) and the source's Glue crawler crawls
 * all of it. By default it is {@code s3://BUCKET/_trailguard_staging/PREFIX}, a sibling of the custom sources' folder.
 */
public final class LakeLocation implements Serializable {
    private static final long serialVersionUID = 2L;
    public static final String STAGING = "_trailguard_staging";

    private final String bucket;
    private final String prefix;
    private final String stagingBucket;
    private final String stagingPrefix;

    private LakeLocation(String bucket, String prefix, String stagingBucket, String stagingPrefix) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.stagingBucket = stagingBucket;
        this.stagingPrefix = stagingPrefix;
        if (stagingBucket.equals(bucket) && (prefix.isEmpty() || stagingPrefix.equals(prefix)
                || stagingPrefix.startsWith(prefix + "/"))) {
            throw new IllegalArgumentException("the staging location " + uri(stagingBucket, stagingPrefix)
                    + " is inside the output location " + uri(bucket, prefix) + ", where Athena and the Glue crawler "
                    + "would read unpublished files: set lake.staging to a location outside it");
        }
    }

    /**
     * {@code s3://BUCKET/PREFIX} with the default staging location; throws IllegalArgumentException when it is not
     * such a URI, or when PREFIX is empty (the default staging location would be inside it).
     */
    public static LakeLocation parse(String uri) {
        String[] p = split(uri);
        return new LakeLocation(p[0], p[1], p[0], p[1].isEmpty() ? STAGING : STAGING + "/" + p[1]);
    }

    /** {@code s3://BUCKET/PREFIX} with its files staged under {@code stagingUri} ({@code lake.staging}). */
    public static LakeLocation parse(String uri, String stagingUri) {
        String[] p = split(uri);
        String[] s = split(stagingUri);
        return new LakeLocation(p[0], p[1], s[0], s[1]);
    }

    private static String[] split(String uri) {
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
        return new String[] {bucket, prefix};
    }

    public String bucket() {
        return bucket;
    }

    public String prefix() {
        return prefix;
    }

    public String stagingBucket() {
        return stagingBucket;
    }

    /** The key a committed file of this partition has. */
    public String finalKey(LakePartition p, String fileName) {
        return under(prefix, p.path() + "/" + fileName);
    }

    /** The key a file waits at (in {@link #stagingBucket}) until its checkpoint completes. */
    public String stagingKey(LakePartition p, String fileName) {
        return under(stagingPrefix, p.path() + "/" + fileName);
    }

    /** The staging location's key prefix, ending with a slash (for a lifecycle rule or a listing). */
    public String stagingPrefix() {
        return under(stagingPrefix, "");
    }

    private static String under(String prefix, String rest) {
        return prefix.isEmpty() ? rest : prefix + "/" + rest;
    }

    private static String uri(String bucket, String prefix) {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** {@code s3://STAGING_BUCKET/STAGING_PREFIX}. */
    public String stagingUri() {
        return uri(stagingBucket, stagingPrefix);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LakeLocation)) {
            return false;
        }
        LakeLocation l = (LakeLocation) o;
        return l.bucket.equals(bucket) && l.prefix.equals(prefix) && l.stagingBucket.equals(stagingBucket)
                && l.stagingPrefix.equals(stagingPrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, prefix, stagingBucket, stagingPrefix);
    }

    @Override
    public String toString() {
        return uri(bucket, prefix);
    }
}
