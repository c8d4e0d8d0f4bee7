package io.trailguard.job.sink.ocsf.lake;

import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * Publishes staged files once their checkpoint is complete: copies the staging object to its final key, then deletes
 * the staging object. Idempotent: an object at the final key with the file's token is this file, committed before (a
 * retry after a restart, or a crash between copy and delete), and only the staging object is removed. An object at the
 * final key with another token is a different file that took the name (see {@link SecurityLakeWriter} for when): it
 * is neither overwritten nor taken for this one; the file goes to its {@link StagedObject#fallbackKey} instead. A
 * staged file that is missing while it was published nowhere was removed by someone else: logged as an error and
 * dropped, since no retry can bring it back. S3 errors are retried by {@link LakeS3}; past its limit the commit
 * throws, the job restarts and the committables, kept in the checkpoint, are committed again.
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
            String target = o.finalKey();
            Optional<String> there = s3.token(o.bucket(), target);
            if (there.isPresent() && !isThisFile(o, there.get())) {
                target = o.fallbackKey();
                there = s3.token(o.bucket(), target);
                LOG.warn("Security Lake output: s3://{}/{} holds another file; publishing {} at {}", o.bucket(),
                        o.finalKey(), o, target);
                if (there.isPresent() && !isThisFile(o, there.get())) {
                    throw new IOException("s3://" + o.bucket() + "/" + target + " holds another file than " + o);
                }
            }
            if (there.isPresent()) {
                s3.delete(o.stagingBucket(), o.stagingKey());
                r.signalAlreadyCommitted();
                continue;
            }
            if (!s3.copy(o.stagingBucket(), o.stagingKey(), o.bucket(), target)) {
                LOG.error("Security Lake output: the staged file {} is gone and was never published: its {} findings "
                        + "are lost", o, o.findings());
                r.signalFailedWithKnownReason(new IOException("staged file missing: " + o));
                continue;
            }
            s3.delete(o.stagingBucket(), o.stagingKey());
        }
    }

    /** A committable of version 1 has no token: any object at its final key counts as it, as before tokens. */
    private static boolean isThisFile(StagedObject o, String token) {
        return o.token() == null || o.token().equals(token);
    }

    @Override
    public void close() {
        s3.close();
    }
}
