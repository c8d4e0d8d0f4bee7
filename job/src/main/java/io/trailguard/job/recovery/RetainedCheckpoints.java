package io.trailguard.job.recovery;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshots that earlier local runs left in a checkpoint directory, and the newest complete one.
 *
 * <p>Layout (Flink's): retained checkpoints are {@code DIR/JOB_ID/chk-N/_metadata}, savepoints (taken when
 * {@code run} is stopped, or from the web UI) are {@code DIR/savepoints/savepoint-.../_metadata}. Nothing else under
 * {@code DIR} is looked at.
 *
 * <p>A snapshot is <b>complete</b> when its {@code _metadata} file exists and reads back as Flink checkpoint metadata
 * (for a checkpoint, with the id of its directory). Flink writes {@code _metadata} last, after every task has
 * acknowledged, and deletes it first when it discards a checkpoint; a crash during a checkpoint leaves a {@code chk-N}
 * directory without it, or with a partial one. Incomplete snapshots are reported as skipped, with the reason.
 *
 * <p>The <b>newest</b> is the complete snapshot whose {@code _metadata} was written last (its modification time):
 * every local run is a new Flink job with a new id that numbers its checkpoints from 1 again, so checkpoint ids only
 * order the checkpoints of one run. Ties go to a savepoint, then to the higher checkpoint id, then to the path.
 *
 * <p>{@code run --fresh} leaves a {@value #FRESH_START_MARKER} file in {@code DIR}: snapshots completed before it are
 * skipped, so a crash of the fresh run before its first checkpoint does not bring the discarded state back.
 */
public final class RetainedCheckpoints {
    /** Where savepoints go, under the checkpoint directory. */
    public static final String SAVEPOINTS = "savepoints";
    /** Flink's metadata file, written when a snapshot completes. */
    public static final String METADATA = "_metadata";
    /** Written by {@link #markFreshStart}; hides every snapshot completed before it. */
    public static final String FRESH_START_MARKER = "fresh-start";

    private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");

    private final List<Snapshot> complete;
    private final List<Skipped> skipped;

    private RetainedCheckpoints(List<Snapshot> complete, List<Skipped> skipped) {
        this.complete = Collections.unmodifiableList(complete);
        this.skipped = Collections.unmodifiableList(skipped);
    }

    /** A complete checkpoint or savepoint. */
    public static final class Snapshot {
        private final String path;
        private final boolean savepoint;
        private final long id;
        private final long completedMillis;

        Snapshot(String path, boolean savepoint, long id, long completedMillis) {
            this.path = path;
            this.savepoint = savepoint;
            this.id = id;
            this.completedMillis = completedMillis;
        }

        /** The snapshot directory, as Flink's restore path ({@code execution.state-recovery.path}) takes it. */
        public String path() {
            return path;
        }

        public boolean isSavepoint() {
            return savepoint;
        }

        /** The checkpoint id (the one stored in the metadata, for a savepoint too). */
        public long id() {
            return id;
        }

        /** When its {@code _metadata} was written. */
        public Instant completed() {
            return Instant.ofEpochMilli(completedMillis);
        }

        @Override
        public String toString() {
            return (savepoint ? "savepoint " : "checkpoint ") + path + " (id " + id + ", completed " + completed()
                    + ")";
        }
    }

    /** A snapshot directory that is not resumed from, and why. */
    public static final class Skipped {
        private final String path;
        private final String reason;
        private final boolean beforeFreshStart;

        Skipped(String path, String reason) {
            this(path, reason, false);
        }

        Skipped(String path, String reason, boolean beforeFreshStart) {
            this.path = path;
            this.reason = reason;
            this.beforeFreshStart = beforeFreshStart;
        }

        /** True when it is complete but older than the fresh start; false when it is incomplete or damaged. */
        public boolean beforeFreshStart() {
            return beforeFreshStart;
        }

        public String path() {
            return path;
        }

        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    /** Scans {@code dir} (a path or a URI Flink's file systems understand); a missing directory holds nothing. */
    public static RetainedCheckpoints scan(String dir) throws IOException {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem();
        List<Snapshot> complete = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (FileStatus top : list(fs, root)) {
            if (!top.isDir()) {
                continue;
            }
            boolean savepoints = top.getPath().getName().equals(SAVEPOINTS);
            for (FileStatus candidate : list(fs, top.getPath())) {
                String name = candidate.getPath().getName();
                if (!candidate.isDir()) {
                    continue;
                }
                Matcher m = CHECKPOINT.matcher(name);
                if (savepoints && name.startsWith("savepoint-")) {
                    inspect(fs, candidate.getPath(), true, -1, complete, skipped);
                } else if (!savepoints && m.matches()) {
                    inspect(fs, candidate.getPath(), false, Long.parseLong(m.group(1)), complete, skipped);
                }
            }
        }
        FileStatus marker = status(fs, new Path(root, FRESH_START_MARKER));
        if (marker != null) {
            long freshAt = marker.getModificationTime();
            for (java.util.Iterator<Snapshot> it = complete.iterator(); it.hasNext(); ) {
                Snapshot s = it.next();
                if (s.completedMillis < freshAt) {
                    it.remove();
                    skipped.add(new Skipped(s.path, "completed at " + s.completed() + ", before the fresh start at "
                            + Instant.ofEpochMilli(freshAt) + " (" + FRESH_START_MARKER + ")", true));
                }
            }
        }
        complete.sort(NEWEST_FIRST);
        skipped.sort(Comparator.comparing(Skipped::path));
        return new RetainedCheckpoints(complete, skipped);
    }

    private static final Comparator<Snapshot> NEWEST_FIRST = Comparator
            .comparingLong((Snapshot s) -> s.completedMillis)
            .thenComparing(s -> s.savepoint)
            .thenComparingLong(s -> s.id)
            .thenComparing(s -> s.path)
            .reversed();

    /** The newest complete snapshot, or null when there is none. */
    public Snapshot newest() {
        return complete.isEmpty() ? null : complete.get(0);
    }

    /** Every complete snapshot, newest first. */
    public List<Snapshot> complete() {
        return complete;
    }

    /** The snapshot directories that are not complete (or hidden by a fresh start), with the reason. */
    public List<Skipped> skipped() {
        return skipped;
    }

    /**
     * Records a deliberate fresh start in {@code dir}: later scans skip every snapshot completed before now. The
     * marker's own modification time is the fresh start.
     */
    public static void markFreshStart(String dir, String why) throws IOException {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem();
        fs.mkdirs(root);
        try (FSDataOutputStream out = fs.create(new Path(root, FRESH_START_MARKER), FileSystem.WriteMode.OVERWRITE)) {
            out.write(("fresh start at " + Instant.now() + ": " + why + "\n"
                    + "snapshots completed before this file was written are not resumed from\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void inspect(FileSystem fs, Path dir, boolean savepoint, long dirId, List<Snapshot> complete,
                                List<Skipped> skipped) {
        String path = dir.toString();
        Path metadata = new Path(dir, METADATA);
        FileStatus st;
        try {
            st = status(fs, metadata);
        } catch (IOException e) {
            skipped.add(new Skipped(path, "cannot read " + METADATA + ": " + e));
            return;
        }
        if (st == null) {
            skipped.add(new Skipped(path, "no " + METADATA + " (the snapshot never completed)"));
            return;
        }
        if (st.getLen() == 0) {
            skipped.add(new Skipped(path, METADATA + " is empty (the snapshot never completed)"));
            return;
        }
        long id;
        try (FSDataInputStream in = fs.open(metadata)) {
            CheckpointMetadata m = Checkpoints.loadCheckpointMetadata(new DataInputStream(in),
                    RetainedCheckpoints.class.getClassLoader(), path);
            id = m.getCheckpointId();
        } catch (IOException | RuntimeException e) {
            skipped.add(new Skipped(path, METADATA + " does not read back (" + e
                    + "): the snapshot never completed or is damaged"));
            return;
        }
        if (!savepoint && id != dirId) {
            skipped.add(new Skipped(path, METADATA + " is of checkpoint " + id + ", not " + dirId));
            return;
        }
        complete.add(new Snapshot(path, savepoint, id, st.getModificationTime()));
    }

    private static List<FileStatus> list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return Collections.emptyList();
        }
        List<FileStatus> out = new ArrayList<>();
        if (entries != null) {
            Collections.addAll(out, entries);
        }
        return out;
    }

    private static FileStatus status(FileSystem fs, Path p) throws IOException {
        try {
            return fs.exists(p) ? fs.getFileStatus(p) : null;
        } catch (FileNotFoundException e) {
            return null;
        }
    }
}
