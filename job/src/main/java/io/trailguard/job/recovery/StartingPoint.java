package io.trailguard.job.recovery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a local run starts its state from, decided once before the job is built, with the sentences that say so.
 * In order: an explicit restore path; empty state on request ({@code --fresh}); the newest complete snapshot retained
 * in the checkpoint directory ({@link RetainedCheckpoints}); empty state when there is none.
 */
public final class StartingPoint {
    /** How the state was chosen. */
    public enum Kind {
        /** {@code checkpoint.restore} names the snapshot. */
        EXPLICIT,
        /** The newest complete snapshot in {@code checkpoint.dir}. */
        RESUMED,
        /** Empty state on request, whatever the directory holds. */
        FRESH_ON_REQUEST,
        /** Empty state: the directory holds no complete snapshot (first run, or every one incomplete). */
        FRESH_NOTHING_RETAINED,
        /** Empty state, and none is kept: no checkpoint directory. */
        IN_MEMORY
    }

    private final Kind kind;
    private final String restorePath;
    private final List<String> lines;

    private StartingPoint(Kind kind, String restorePath, List<String> lines) {
        this.kind = kind;
        this.restorePath = restorePath;
        this.lines = lines;
    }

    /**
     * Decides. {@code checkpointDir} and {@code explicitRestore} may be null. Throws IllegalArgumentException when both
     * a restore path and a fresh start are asked for.
     */
    public static StartingPoint decide(String checkpointDir, String explicitRestore, boolean fresh)
            throws IOException {
        List<String> lines = new ArrayList<>();
        if (explicitRestore != null && fresh) {
            throw new IllegalArgumentException("checkpoint.restore and a fresh start (--fresh, checkpoint.fresh) "
                    + "exclude each other: give one");
        }
        if (explicitRestore != null) {
            lines.add("restoring state from " + explicitRestore + " (checkpoint.restore)");
            return new StartingPoint(Kind.EXPLICIT, explicitRestore, lines);
        }
        if (checkpointDir == null) {
            lines.add("starting with empty state" + (fresh ? " (--fresh)" : "") + "; no checkpoint.dir, so state is "
                    + "not kept across runs");
            return new StartingPoint(Kind.IN_MEMORY, null, lines);
        }
        if (fresh) {
            RetainedCheckpoints.markFreshStart(checkpointDir, "run --fresh (checkpoint.fresh=true)");
            lines.add("starting with empty state on request (--fresh): snapshots retained in " + checkpointDir
                    + " are ignored, now and by later runs");
            return new StartingPoint(Kind.FRESH_ON_REQUEST, null, lines);
        }
        RetainedCheckpoints retained = RetainedCheckpoints.scan(checkpointDir);
        int beforeFresh = 0;
        for (RetainedCheckpoints.Skipped s : retained.skipped()) {
            if (s.beforeFreshStart()) {
                beforeFresh++;
            } else {
                lines.add("not resuming from " + s);
            }
        }
        if (beforeFresh > 0) {
            lines.add("not resuming from " + beforeFresh + " complete snapshot(s) in " + checkpointDir
                    + " completed before the fresh start recorded in " + RetainedCheckpoints.FRESH_START_MARKER);
        }
        RetainedCheckpoints.Snapshot newest = retained.newest();
        if (newest == null) {
            lines.add("starting with empty state: no complete checkpoint or savepoint in " + checkpointDir);
            return new StartingPoint(Kind.FRESH_NOTHING_RETAINED, null, lines);
        }
        lines.add("resuming from the newest complete " + newest + "; " + (retained.complete().size() - 1)
                + " older complete snapshot(s) in " + checkpointDir + " (--fresh starts empty)");
        return new StartingPoint(Kind.RESUMED, newest.path(), lines);
    }

    public Kind kind() {
        return kind;
    }

    /** The snapshot to restore, or null for empty state. */
    public String restorePath() {
        return restorePath;
    }

    /** What was decided and why, one log line each; the last line is the decision. */
    public List<String> lines() {
        return lines;
    }
}
