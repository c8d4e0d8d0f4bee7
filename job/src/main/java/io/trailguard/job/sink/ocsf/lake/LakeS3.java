package io.trailguard.job.sink.ocsf.lake;

import io.trailguard.job.sink.aws.AwsErrors;
import io.trailguard.job.sink.aws.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The four S3 calls of the Security Lake sink (put, head, copy, delete), each retried with the
 * {@code sink.retry.*} policy: exponential backoff with jitter while the error is retryable, S3 is unreachable, the
 * bucket is missing or access is denied (an operator can fix those while the job waits), until the policy's limit;
 * then, or at once for bad credentials, an IOException, which fails the checkpoint or the job: Flink restarts from
 * the last checkpoint and nothing that checkpoint covers is lost. One WARN per report interval while failing.
 */
public class LakeS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LakeS3.class);

    /** Told of every failed attempt (tests use it to repair the outage they made). */
    public interface FailureListener {
        void failed(String operation, Throwable error, int failures);
    }

    /** The user metadata key of a staged file's token (S3 sends it as {@code x-amz-meta-trailguard-token}). */
    public static final String TOKEN = "trailguard-token";

    private final S3Client s3;
    private final RetryPolicy retry;
    private final FailureListener listener;
    private long lastReport = Long.MIN_VALUE;

    public LakeS3(S3Client s3, RetryPolicy retry, FailureListener listener) {
        this.s3 = s3;
        this.retry = retry;
        this.listener = listener;
    }

    /** Uploads the file with {@code token} as its {@value #TOKEN} user metadata. */
    public void put(String bucket, String key, Path file, String token) throws IOException {
        attempt("PutObject s3://" + bucket + "/" + key,
                () -> s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/vnd.apache.parquet")
                        .metadata(Map.of(TOKEN, token)), RequestBody.fromFile(file)));
    }

    /**
     * The {@value #TOKEN} user metadata of the object: empty when there is no object (a missing bucket answers empty
     * too; the copy that follows then retries), {@code ""} for an object without it.
     */
    public Optional<String> token(String bucket, String key) throws IOException {
        return attempt("HeadObject s3://" + bucket + "/" + key, () -> {
            try {
                return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)).metadata().getOrDefault(TOKEN, ""));
            } catch (NoSuchKeyException e) {
                return Optional.<String>empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.<String>empty();
                }
                throw e;
            }
        });
    }

    /**
     * Copies {@code fromBucket/from} to {@code toBucket/to} with its metadata; false when {@code from} does not
     * exist.
     */
    public boolean copy(String fromBucket, String from, String toBucket, String to) throws IOException {
        return attempt("CopyObject s3://" + fromBucket + "/" + from + " to s3://" + toBucket + "/" + to, () -> {
            try {
                s3.copyObject(r -> r.sourceBucket(fromBucket).sourceKey(from).destinationBucket(toBucket)
                        .destinationKey(to));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                if ("NoSuchKey".equals(AwsErrors.errorCode(e))) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Deletes the object (deleting a missing object succeeds). */
    public void delete(String bucket, String key) throws IOException {
        attempt("DeleteObject s3://" + bucket + "/" + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
    }

    private <T> T attempt(String what, Supplier<T> call) throws IOException {
        int failures = 0;
        long firstFailure = 0;
        while (true) {
            try {
                T result = call.get();
                if (failures > 0) {
                    LOG.info("Security Lake output: {} succeeded after {} failed attempts", what, failures);
                }
                return result;
            } catch (SdkException e) {
                long now = System.currentTimeMillis();
                if (failures == 0) {
                    firstFailure = now;
                }
                failures++;
                listener.failed(what, e, failures);
                if (AwsErrors.classify(e) == AwsErrors.Kind.FATAL) {
                    throw new IOException(what + ": " + AwsErrors.message(e), e);
                }
                if (retry.limit().reached(failures, now - firstFailure)) {
                    throw new IOException(what + " failed " + failures + " times (sink.retry.limit "
                            + retry.limit() + "): " + AwsErrors.message(e), e);
                }
                if (failures == 1 || now - lastReport >= retry.reportIntervalMs()) {
                    lastReport = now;
                    LOG.warn("Security Lake output: {} failed ({} attempts so far, retrying): {}", what, failures,
                            AwsErrors.message(e));
                }
                try {
                    Thread.sleep(retry.backoffMillis(failures));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(what + ": interrupted while retrying");
                }
            }
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
