package io.trailguard.job.recovery;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finding the snapshot to resume from in real directory layouts: checkpoints and a savepoint written by a real Flink
 * job (MiniCluster), then copied and damaged the ways a crash leaves them (no {@code _metadata}, an empty one, a
 * partial one), spread over several runs' job directories, and hidden by a fresh start. The chosen one restores.
 */
class RetainedCheckpointsTest {
    /** What one real job left: its checkpoint directory, its job id and its savepoint. */
    @TempDir
    static Path written;
    static Path jobDir;
    static Path savepoint;

    @BeforeAll
    static void aRealJobWritesCheckpointsAndASavepoint() throws Exception {
        Path checkpoints = written.resolve("checkpoints");
        JobClient job = env(checkpoints, null).executeAsync("retained checkpoints, writer");
        awaitCompleteCheckpoints(checkpoints, 3);
        // A savepoint, then a cancel: a job stopped with a savepoint ends FINISHED, and Flink may then discard its
        // retained checkpoints (here it does); cancelled, it keeps them.
        String sp = job.triggerSavepoint(checkpoints.resolve(RetainedCheckpoints.SAVEPOINTS).toUri().toString(),
                SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        job.cancel().get(60, TimeUnit.SECONDS);
        awaitTerminal(job);
        jobDir = checkpoints.resolve(job.getJobID().toString());
        savepoint = Path.of(java.net.URI.create(sp));
        assertThat(savepoint.resolve("_metadata")).isRegularFile();
    }

    @Test
    void theNewestOfARealRunIsItsSavepointThenItsHighestCheckpoint(@TempDir Path dir) throws Exception {
        copyTree(written.resolve("checkpoints"), dir);
        RetainedCheckpoints.Snapshot newest = RetainedCheckpoints.scan(dir.toString()).newest();
        assertThat(newest.isSavepoint()).isTrue();
        assertThat(Path.of(java.net.URI.create(newest.path()))).isEqualTo(dir.resolve(RetainedCheckpoints.SAVEPOINTS)
                .resolve(savepoint.getFileName()));

        deleteTree(dir.resolve(RetainedCheckpoints.SAVEPOINTS));
        RetainedCheckpoints scan = RetainedCheckpoints.scan(dir.toString());
        long highest = checkpointIds(jobDir).stream().mapToLong(Long::longValue).max().getAsLong();
        assertThat(scan.newest().isSavepoint()).isFalse();
        assertThat(scan.newest().id()).isEqualTo(highest);
        assertThat(scan.newest().path()).endsWith(jobDir.getFileName() + "/chk-" + highest);
        assertThat(scan.complete()).extracting(RetainedCheckpoints.Snapshot::id).isSortedAccordingTo(
                Comparator.reverseOrder());
        assertThat(scan.skipped()).isEmpty();
    }

    @Test
    void aCrashDuringACheckpointLeavesDirectoriesThatAreSkippedWithTheirReason(@TempDir Path dir) throws Exception {
        Path job = dir.resolve(jobDir.getFileName().toString());
        long highest = copyCheckpoints(job);
        byte[] metadata = Files.readAllBytes(job.resolve("chk-" + highest).resolve("_metadata"));
        // The crash came while checkpoint highest+1 was in progress (no _metadata yet), or while its _metadata was
        // being written (empty, or cut short); each is newer than every complete one.
        Files.createDirectories(job.resolve("chk-" + (highest + 1)));
        Files.write(job.resolve("chk-" + (highest + 1)).resolve("some-state-file"), new byte[] {1, 2, 3});
        Files.createDirectories(job.resolve("chk-" + (highest + 2)));
        Files.write(job.resolve("chk-" + (highest + 2)).resolve("_metadata"), new byte[0]);
        Files.createDirectories(job.resolve("chk-" + (highest + 3)));
        Files.write(job.resolve("chk-" + (highest + 3)).resolve("_metadata"),
                Arrays.copyOf(metadata, metadata.length / 2));

        RetainedCheckpoints scan = RetainedCheckpoints.scan(dir.toUri().toString());
        assertThat(scan.newest().id()).isEqualTo(highest);
        assertThat(scan.skipped()).extracting(s -> s.path().substring(s.path().lastIndexOf('/') + 1))
                .containsExactly("chk-" + (highest + 1), "chk-" + (highest + 2), "chk-" + (highest + 3));
        assertThat(scan.skipped().get(0).reason()).isEqualTo("no _metadata (the snapshot never completed)");
        assertThat(scan.skipped().get(1).reason()).isEqualTo("_metadata is empty (the snapshot never completed)");
        assertThat(scan.skipped().get(2).reason()).startsWith("_metadata does not read back (")
                .endsWith("the snapshot never completed or is damaged");
    }

    @Test
    void acrossRunsTheNewestIsTheLastWrittenNotTheHighestId(@TempDir Path dir) throws Exception {
        // Run A reached a high checkpoint id; run B, a later job resumed from it, numbers its checkpoints again
        // from 1: its low-numbered checkpoint is the newer state.
        Path runA = dir.resolve("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Path runB = dir.resolve("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        long highest = copyCheckpoints(runA);
        long lowest = checkpointIds(runA).get(0);
        assertThat(lowest).isLessThan(highest);
        copyTree(runA.resolve("chk-" + lowest), runB.resolve("chk-" + lowest));
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        for (long id : checkpointIds(runA)) {
            touch(runA.resolve("chk-" + id).resolve("_metadata"), t.plusSeconds(id));
        }
        touch(runB.resolve("chk-" + lowest).resolve("_metadata"), t.plusSeconds(highest + 60));

        RetainedCheckpoints scan = RetainedCheckpoints.scan(dir.toString());
        assertThat(scan.newest().path()).endsWith(runB.getFileName() + "/chk-" + lowest);
        assertThat(scan.newest().completed()).isEqualTo(t.plusSeconds(highest + 60));

        // The same write time: the higher id of the two wins (the newer checkpoint of one run).
        touch(runB.resolve("chk-" + lowest).resolve("_metadata"), t.plusSeconds(highest));
        assertThat(RetainedCheckpoints.scan(dir.toString()).newest().path())
                .endsWith(runA.getFileName() + "/chk-" + highest);
    }

    @Test
    void aCheckpointDirectoryWhoseMetadataNamesAnotherIdIsSkipped(@TempDir Path dir) throws Exception {
        Path job = dir.resolve(jobDir.getFileName().toString());
        long highest = copyCheckpoints(job);
        copyTree(job.resolve("chk-" + highest), job.resolve("chk-" + (highest + 10)));
        RetainedCheckpoints scan = RetainedCheckpoints.scan(dir.toString());
        assertThat(scan.newest().id()).isEqualTo(highest);
        assertThat(scan.skipped()).singleElement().satisfies(s -> assertThat(s.reason())
                .isEqualTo("_metadata is of checkpoint " + highest + ", not " + (highest + 10)));
    }

    @Test
    void anEmptyOrMissingDirectoryHoldsNothingAndOtherEntriesAreIgnored(@TempDir Path dir) throws Exception {
        assertThat(RetainedCheckpoints.scan(dir.resolve("missing").toString()).newest()).isNull();
        Files.createDirectories(dir.resolve("0123/shared"));
        Files.createDirectories(dir.resolve("0123/taskowned"));
        Files.createDirectories(dir.resolve("notes/chk-x"));
        Files.write(dir.resolve("README"), new byte[] {1});
        RetainedCheckpoints scan = RetainedCheckpoints.scan(dir.toString());
        assertThat(scan.newest()).isNull();
        assertThat(scan.skipped()).isEmpty();
    }

    @Test
    void aFreshStartHidesWhatWasCompletedBeforeItButNotWhatCameAfter(@TempDir Path dir) throws Exception {
        Path job = dir.resolve(jobDir.getFileName().toString());
        long highest = copyCheckpoints(job);
        for (long id : checkpointIds(job)) {
            touch(job.resolve("chk-" + id).resolve("_metadata"), Instant.now().minusSeconds(600 - id));
        }
        StartingPoint fresh = StartingPoint.decide(dir.toString(), null, true);
        assertThat(fresh.kind()).isEqualTo(StartingPoint.Kind.FRESH_ON_REQUEST);
        assertThat(fresh.restorePath()).isNull();
        assertThat(dir.resolve(RetainedCheckpoints.FRESH_START_MARKER)).isRegularFile();

        // The fresh run crashed before its first checkpoint: the next plain run still starts empty.
        StartingPoint afterCrash = StartingPoint.decide(dir.toString(), null, false);
        assertThat(afterCrash.kind()).isEqualTo(StartingPoint.Kind.FRESH_NOTHING_RETAINED);
        assertThat(afterCrash.lines()).anySatisfy(l -> assertThat(l).contains("not resuming from "
                + checkpointIds(job).size() + " complete snapshot(s)").contains("before the fresh start"));
        assertThat(RetainedCheckpoints.scan(dir.toString()).skipped()).hasSize(checkpointIds(job).size())
                .allSatisfy(s -> assertThat(s.beforeFreshStart()).isTrue());

        // A checkpoint the fresh run completed afterwards is resumed from.
        Path later = dir.resolve("cccccccccccccccccccccccccccccccc").resolve("chk-" + highest);
        copyTree(job.resolve("chk-" + highest), later);
        touch(later.resolve("_metadata"), Instant.now().plusSeconds(5));
        StartingPoint resumed = StartingPoint.decide(dir.toString(), null, false);
        assertThat(resumed.kind()).isEqualTo(StartingPoint.Kind.RESUMED);
        assertThat(resumed.restorePath()).endsWith("cccccccccccccccccccccccccccccccc/chk-" + highest);
    }

    @Test
    void anExplicitRestoreWinsAndExcludesAFreshStart(@TempDir Path dir) throws Exception {
        copyCheckpoints(dir.resolve(jobDir.getFileName().toString()));
        StartingPoint explicit = StartingPoint.decide(dir.toString(), "/elsewhere/chk-1", false);
        assertThat(explicit.kind()).isEqualTo(StartingPoint.Kind.EXPLICIT);
        assertThat(explicit.restorePath()).isEqualTo("/elsewhere/chk-1");
        assertThatThrownBy(() -> StartingPoint.decide(dir.toString(), "/elsewhere/chk-1", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude each other");
        assertThat(StartingPoint.decide(null, null, false).kind()).isEqualTo(StartingPoint.Kind.IN_MEMORY);
        assertThat(StartingPoint.decide(dir.resolve("empty").toString(), null, false).kind())
                .isEqualTo(StartingPoint.Kind.FRESH_NOTHING_RETAINED);
    }

    @Test
    void theChosenCheckpointRestoresInFlink(@TempDir Path dir) throws Exception {
        Path job = dir.resolve(jobDir.getFileName().toString());
        long highest = copyCheckpoints(job);
        Files.createDirectories(job.resolve("chk-" + (highest + 1))); // the crash came during the next one
        StartingPoint start = StartingPoint.decide(dir.toUri().toString(), null, false);
        assertThat(start.kind()).isEqualTo(StartingPoint.Kind.RESUMED);

        Counter.FIRST_AFTER_RESTORE.set(-1);
        JobClient restored = env(dir.resolve("next"), start.restorePath()).executeAsync("retained checkpoints, reader");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Counter.FIRST_AFTER_RESTORE.get() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Counter.FIRST_AFTER_RESTORE.get()).as("the source resumed from its checkpointed position")
                    .isGreaterThan(0);
        } finally {
            restored.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    // ---- a real job ----------------------------------------------------------------------------------------------

    private static StreamExecutionEnvironment env(Path checkpoints, String restore) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 10);
        if (restore != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.addSource(new Counter()).uid("counter").addSink(new DiscardingSink<>());
        return env;
    }

    private static void awaitCompleteCheckpoints(Path checkpoints, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.walk(checkpoints)) {
                if (s.filter(p -> p.getFileName().toString().equals("_metadata")).count() >= n) {
                    return;
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // not there yet, or a directory went away while listed
            }
            Thread.sleep(50);
        }
        throw new AssertionError(n + " complete checkpoints within 60 s");
    }

    /** Waits until the cancelled job's per-job MiniCluster is gone. */
    private static void awaitTerminal(JobClient job) throws Exception {
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException cancelled) {
            // a cancelled job has no result
        }
    }

    /** Counts up slowly; the count is its checkpointed state. */
    static final class Counter implements SourceFunction<Long>, CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        static final AtomicLong FIRST_AFTER_RESTORE = new AtomicLong(-1);
        private transient ListState<Long> state;
        private volatile long next;
        private volatile boolean running = true;
        private boolean restored;

        @Override
        public void run(SourceContext<Long> ctx) throws Exception {
            if (restored) {
                FIRST_AFTER_RESTORE.set(next);
            }
            while (running) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(next++);
                }
                Thread.sleep(5);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            state.update(Collections.singletonList(next));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("next", Long.class));
            restored = context.isRestored();
            for (Long n : state.get()) {
                next = n;
            }
        }
    }

    // ---- files ---------------------------------------------------------------------------------------------------

    /** Copies the real job's checkpoints into {@code job}; returns the highest id. */
    private static long copyCheckpoints(Path job) throws IOException {
        for (long id : checkpointIds(jobDir)) {
            copyTree(jobDir.resolve("chk-" + id), job.resolve("chk-" + id));
        }
        return checkpointIds(job).stream().mapToLong(Long::longValue).max().getAsLong();
    }

    /** The ids of the complete checkpoints in a job directory, ascending. */
    private static List<Long> checkpointIds(Path job) throws IOException {
        try (Stream<Path> s = Files.list(job)) {
            return s.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .map(p -> Long.parseLong(p.getFileName().toString().substring(4))).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static void touch(Path file, Instant t) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(t));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.collect(Collectors.toList())) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
