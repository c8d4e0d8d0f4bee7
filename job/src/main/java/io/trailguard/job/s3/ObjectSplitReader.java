package io.trailguard.job.s3;

import io.trailguard.job.serde.RawRecord;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the files of its splits one after the other on the fetcher thread, {@value #BATCH} records per fetch, from
 * the split's position on (a restored split skips the records it emitted before). A file that cannot be fetched or
 * parsed ends with one failed record (a dead letter naming bucket, key and reason) and is finished like any other:
 * its message is handled, not retried.
 */
final class ObjectSplitReader implements SplitReader<RawRecord, ObjectSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectSplitReader.class);
    static final int BATCH = 1000;

    private final S3Client s3;
    private final Deque<ObjectSplit> splits = new ArrayDeque<>();
    private ObjectSplit current;
    private CloudTrailRecords records;
    private String originPrefix;

    ObjectSplitReader(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public RecordsWithSplitIds<RawRecord> fetch() throws IOException {
        RecordsBySplits.Builder<RawRecord> out = new RecordsBySplits.Builder<>();
        if (current == null) {
            current = splits.poll();
            if (current == null) {
                return out.build();
            }
            originPrefix = current.object().uri() + ":";
            try {
                records = CloudTrailRecords.open(s3.getObject(r -> r.bucket(current.object().bucket())
                        .key(current.object().key())));
                if (current.recordsDone() > 0 && !records.skip(current.recordsDone())) {
                    return finish(out);
                }
            } catch (IOException | RuntimeException e) {
                return fail(out, e);
            }
        }
        String split = current.splitId();
        try {
            for (int i = 0; i < BATCH; i++) {
                byte[] record = records.next();
                if (record == null) {
                    return finish(out);
                }
                RawRecord raw = new RawRecord(record, originPrefix + records.position());
                raw.shard = current.shard();
                out.add(split, raw);
            }
        } catch (IOException | RuntimeException e) {
            return fail(out, e);
        }
        return out.build();
    }

    private RecordsWithSplitIds<RawRecord> fail(RecordsBySplits.Builder<RawRecord> out, Exception e) {
        long at = records == null ? 0 : records.position();
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
