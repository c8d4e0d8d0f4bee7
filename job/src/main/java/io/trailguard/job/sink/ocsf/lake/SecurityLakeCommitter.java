package io.trailguard.job.sink.ocsf.lake;

import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;

/**
 * Publishes staged files once their checkpoint is complete: copies the staging object to its final key, then deletes
 * the staging object. Idempotent: a final object that already exists is a commit done before (a retry after a
 * restart, or a crash between copy and delete), and only the staging object is removed. A staged file that is
 * missing while its final object is missing too was removed by someone else: logged as an error and dropped, since
 * no retry can bring it back. S3 errors are retried by {@link LakeS3}; past its limit the commit throws, the job
 * restarts and the committables, kept in the checkpoint, are committed again.
 */
public final class SecurityLakeCommitter implements Committer<StagedObject> {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityLakeCommitter.class);

    private final LakeS3 s3;

    public SecurityLakeCommitter(LakeS3 s3) {
        this.s3 = s3;
    }

    @Override
    public void commit(Collection<CommitRequest<StagedObject>> requests) throws IOException {
        for (CommitRequest<StagedObject> r : requests) {
            StagedObject o = r.getCommittable();
            if (s3.exists(o.bucket(), o.finalKey())) {
                s3.delete(o.bucket(), o.stagingKey());
                r.signalAlreadyCommitted();
                continue;
            }
            if (!s3.copy(o.bucket(), o.stagingKey(), o.finalKey())) {
                LOG.error("Security Lake output: the staged file {} is gone and was never published: its {} findings "
                        + "are lost", o, o.findings());
                r.signalFailedWithKnownReason(new IOException("staged file missing: " + o));
                continue;
            }
            s3.delete(o.bucket(), o.stagingKey());
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
