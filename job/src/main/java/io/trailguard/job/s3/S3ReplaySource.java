package io.trailguard.job.s3;

import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded source of {@code replay --input s3://...}: reads the listed CloudTrail files in order (parallelism 1),
 * streaming each record by record as the streaming S3 source does, and keeps the records whose {@code eventTime} is
 * in the window. A file that cannot be read ends with a failed record (a dead letter with bucket, key and reason).
 * Counts finished files as {@value Counters#FILES_DONE} for the progress line.
 */
public final class S3ReplaySource extends RichSourceFunction<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final QueueSettings connection;
    private final ArrayList<ObjectRef> objects;
    private final TimeWindow window;
    private volatile boolean running = true;
    private transient Counters.Both filesDone;

    /** {@code connection} gives region and S3 endpoint (its queue is not used). */
    public S3ReplaySource(QueueSettings connection, List<ObjectRef> objects, TimeWindow window) {
        this.connection = connection;
        this.objects = new ArrayList<>(objects);
        this.window = window;
    }

    @Override
    public void open(OpenContext openContext) {
        filesDone = Counters.register(getRuntimeContext(), Counters.FILES_DONE);
    }

    @Override
    public void run(SourceContext<RawRecord> ctx) {
        try (S3Client s3 = connection.s3()) {
            for (ObjectRef o : objects) {
                if (!running) {
                    return;
                }
                read(s3, o, ctx);
                filesDone.inc();
            }
        }
    }

    private void read(S3Client s3, ObjectRef o, SourceContext<RawRecord> ctx) {
        String shard = shardOf(o);
        String prefix = o.uri() + ":";
        CloudTrailRecords records = null;
        try {
            records = CloudTrailRecords.open(s3.getObject(r -> r.bucket(o.bucket()).key(o.key())));
            byte[] record;
            while (running && (record = records.next()) != null) {
                if (!window.contains(records.eventTime())) {
                    continue;
                }
                RawRecord raw = new RawRecord(record, prefix + records.position());
                raw.shard = shard;
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(raw);
                }
            }
        } catch (IOException | RuntimeException e) {
            long at = records == null ? 0 : records.position();
            RawRecord failed = RawRecord.failed(o.uri(), "cannot read " + o.uri() + (at > 0 ? " after record " + at
                    : "") + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()), null);
            failed.shard = shard;
            synchronized (ctx.getCheckpointLock()) {
                ctx.collect(failed);
            }
        } finally {
            if (records != null) {
                try {
                    records.close();
                } catch (IOException ignored) {
                    // the file was read or failed already
                }
            }
        }
    }

    private static String shardOf(ObjectRef o) {
        TrailKey k = TrailKey.parse(o.key());
        return k.account() == null ? o.bucket() : k.account() + "/" + k.region();
    }

    @Override
    public void cancel() {
        running = false;
    }
}
