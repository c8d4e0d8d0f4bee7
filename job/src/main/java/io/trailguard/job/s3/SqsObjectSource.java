package io.trailguard.job.s3;

import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * CloudTrail log files announced on an SQS queue, read from S3 record by record (Flink's {@code Source} API: a
 * {@link QueueEnumerator} receiving the notifications, {@link ObjectSourceReader}s reading the files). At least once:
 * a message is deleted after the checkpoint covering its files' records; repeats after a failure are dropped by the
 * pipeline's eventID dedup. Each record's origin is {@code s3://BUCKET/KEY:N} (N counts from 1) and its event-time
 * shard the file's {@code ACCOUNT/REGION}, the unit in which CloudTrail delivers files in time order.
 */
public final class SqsObjectSource implements Source<RawRecord, ObjectSplit, QueueCheckpoint> {
    private static final long serialVersionUID = 1L;

    private final QueueSettings settings;

    public SqsObjectSource(QueueSettings settings) {
        this.settings = settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawRecord, ObjectSplit> createReader(SourceReaderContext context) {
        return new ObjectSourceReader(settings, new Configuration(), context);
    }

    @Override
    public SplitEnumerator<ObjectSplit, QueueCheckpoint> createEnumerator(
            SplitEnumeratorContext<ObjectSplit> context) {
        return new QueueEnumerator(context, settings, QueueCheckpoint.empty());
    }

    @Override
    public SplitEnumerator<ObjectSplit, QueueCheckpoint> restoreEnumerator(
            SplitEnumeratorContext<ObjectSplit> context, QueueCheckpoint checkpoint) {
        return new QueueEnumerator(context, settings, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ObjectSplit> getSplitSerializer() {
        return ObjectSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<QueueCheckpoint> getEnumeratorCheckpointSerializer() {
        return QueueCheckpoint.Serializer.INSTANCE;
    }
}
