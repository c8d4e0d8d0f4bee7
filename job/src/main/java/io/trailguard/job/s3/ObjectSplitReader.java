package io.trailguard.job.s3;

import io.trailguard.job.serde.RawRecord;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the files of its splits one after the other on the fetcher thread, {@value #BATCH} records per fetch, from
 * the split's position on (a restored split skips the records it emitted before). A connection that breaks while a
 * file is read ({@link #transientFailure}: network errors, S3 5xx after the SDK's own retries) reopens the file and
 * resumes after the last record emitted, up to {@value #REOPENS} times. A file that cannot be fetched or parsed ends
 * with one failed record (a dead letter naming bucket, key and reason) and is finished like any other: its message
 * is handled, not retried.
 */
final class ObjectSplitReader implements SplitReader<RawRecord, ObjectSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectSplitReader.class);
    static final int BATCH = 1000;
    static final int REOPENS = 3;

    private final S3Client s3;
    private final Deque<ObjectSplit> splits = new ArrayDeque<>();
    private ObjectSplit current;
    private CloudTrailRecords records;
    private String originPrefix;
    private int reopens;

    ObjectSplitReader(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public RecordsWithSplitIds<RawRecord> fetch() throws IOException {
        RecordsBySplits.Builder<RawRecord> out = new RecordsBySplits.Builder<>();
        try {
            if (current == null) {
                current = splits.poll();
                if (current == null) {
                    return out.build();
                }
                originPrefix = current.object().uri() + ":";
                reopens = 0;
                if (!open(current.recordsDone())) {
                    return finish(out);
                }
            }
            for (int i = 0; i < BATCH; i++) {
                byte[] record = records.next();
                if (record == null) {
                    return finish(out);
                }
                RawRecord raw = new RawRecord(record, originPrefix + records.position());
                raw.shard = current.shard();
                out.add(current.splitId(), raw);
            }
        } catch (IOException | RuntimeException e) {
            // records emitted so far: at least the split's restored position (a failed skip stops short of it)
            long at = Math.max(records == null ? 0 : records.position(), current.recordsDone());
            Exception failure = e;
            while (transientFailure(failure) && reopens < REOPENS) {
                reopens++;
                LOG.warn("reading {} broke after record {} ({}); reopening it there (attempt {} of {})",
                        current.object().uri(), at, failure.toString(), reopens, REOPENS);
                closeRecords();
                try {
                    if (!open(at)) {
                        return finish(out);
                    }
                    return out.build();
                } catch (IOException | RuntimeException again) {
                    failure = again;
                }
            }
            return fail(out, failure, at);
        }
        return out.build();
    }

    /** Opens the current file at record {@code position}; false when it has no more records. */
    private boolean open(long position) throws IOException {
        records = CloudTrailRecords.open(s3.getObject(r -> r.bucket(current.object().bucket())
                .key(current.object().key())));
        return position == 0 || records.skip(position);
    }

    /**
     * A failure of the connection rather than of the file: an SDK client error (network, timeout), an S3 error with
     * a 5xx status, or a socket error while the content was read (which the gzip layer reports as corrupt data).
     */
    static boolean transientFailure(Throwable e) {
        if (e instanceof S3Exception) {
            return ((S3Exception) e).statusCode() >= 500;
        }
        if (e instanceof SdkClientException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private RecordsWithSplitIds<RawRecord> fail(RecordsBySplits.Builder<RawRecord> out, Exception e, long at) {
        String reason = "cannot read " + current.object().uri() + (at > 0 ? " after record " + at : "") + ": "
                + describe(e);
        LOG.warn("{}", reason);
        RawRecord failed = RawRecord.failed(current.object().uri(), reason, null);
        failed.shard = current.shard();
        out.add(current.splitId(), failed);
        return finish(out);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private RecordsWithSplitIds<RawRecord> finish(RecordsBySplits.Builder<RawRecord> out) {
        out.addFinishedSplit(current.splitId());
        closeRecords();
        current = null;
        return out.build();
    }

    private void closeRecords() {
        if (records != null) {
            try {
                records.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", current, e.toString());
            }
            records = null;
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ObjectSplit> change) {
        if (change instanceof SplitsAddition) {
            splits.addAll(change.splits());
        }
    }

    @Override
    public void wakeUp() {
    }

    @Override
    public void close() {
        closeRecords();
        s3.close();
    }
}
