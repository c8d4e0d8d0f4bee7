package io.trailguard.job.sink.ocsf.lake;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.sink.aws.RetryPolicy;
import io.trailguard.job.sink.ocsf.OcsfLines;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * {@code --output ocsf:s3://BUCKET/PREFIX}: OCSF Detection Findings as Parquet objects of an Amazon Security Lake
 * custom source, in two phases. The {@link SecurityLakeWriter} stages one file per partition at every checkpoint (and
 * at the end of the input); the {@link SecurityLakeCommitter} moves them to their final keys when the checkpoint
 * completes. Every finding of a completed checkpoint is published exactly once; no half-written or uncommitted file
 * is ever under a partition folder.
 */
public final class SecurityLakeSink implements Sink<Alert>, SupportsCommitter<StagedObject> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SecurityLakeSink.class);

    private final LakeLocation location;
    private final LakeFormat format;
    private final AwsConnection connection;
    private final RetryPolicy retry;

    public SecurityLakeSink(LakeLocation location, LakeFormat format, AwsConnection connection, RetryPolicy retry) {
        this.location = location;
        this.format = format;
        this.connection = connection;
        this.retry = retry;
    }

    public LakeLocation location() {
        return location;
    }

    public LakeFormat format() {
        return format;
    }

    @Override
    @Deprecated
    public SinkWriter<Alert> createWriter(InitContext context) {
        throw new UnsupportedOperationException("Flink 1.20 creates writers with a WriterInitContext");
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
        String name = context.getJobInfo().getJobId() + "-" + context.getTaskInfo().getIndexOfThisSubtask();
        long first = context.getRestoredCheckpointId().orElse(0L) + 1;
        return new SecurityLakeWriter(location, format, s3(), OcsfLines.system(), name, first);
    }

    @Override
    public Committer<StagedObject> createCommitter(CommitterInitContext context) {
        return new SecurityLakeCommitter(s3());
    }

    @Override
    public SimpleVersionedSerializer<StagedObject> getCommittableSerializer() {
        return new StagedObject.Serializer();
    }

    private LakeS3 s3() {
        return new LakeS3(AwsClients.s3(connection), retry, (what, error, failures) -> {
            if (failures == 1) {
                LOG.debug("Security Lake output: {} failed", what, error);
            }
        });
    }
}
