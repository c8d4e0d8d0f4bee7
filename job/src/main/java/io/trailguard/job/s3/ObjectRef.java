package io.trailguard.job.s3;

import java.io.Serializable;
import java.util.Objects;

/** An S3 object: bucket and (decoded) key. */
public final class ObjectRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String bucket;
    private final String key;

    public ObjectRef(String bucket, String key) {
        if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an S3 object needs a bucket and a key, not " + bucket + " / " + key);
        }
        this.bucket = bucket;
        this.key = key;
    }

    public String bucket() {
        return bucket;
    }

    public String key() {
        return key;
    }

    /** {@code s3://bucket/key}: the origin of the object's records and dead letters. */
    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectRef && ((ObjectRef) o).bucket.equals(bucket) && ((ObjectRef) o).key.equals(key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, key);
    }

    @Override
    public String toString() {
        return uri();
    }
}
