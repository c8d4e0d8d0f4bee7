package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.serde.JobJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.trailguard.job.kinesis.KinesisJobHarness.await;
import static io.trailguard.job.kinesis.KinesisJobHarness.putEvents;
import static io.trailguard.job.kinesis.SeparateJvm.kill;
import static io.trailguard.job.kinesis.SeparateJvm.list;
import static io.trailguard.job.kinesis.SeparateJvm.read;
import static io.trailguard.job.kinesis.SeparateJvm.signal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run} as a separate JVM against kinesis-local (2 shards, the default {@code LATEST} start), killed with
 * SIGKILL at several moments and started again with the very same command each time, while a producer keeps
 * putting CreateUser events with unique eventIDs: between two checkpoints, during a checkpoint (its {@code chk-N}
 * directory exists, its {@code _metadata} does not), and before the restarted run completed any checkpoint of its own;
 * then stopped with SIGTERM, which takes a savepoint that the next run resumes from. Every restart must log the
 * snapshot it resumes from, and it must be the newest complete one.
 *
 * <p>Afterwards, by eventID, over the one alerts file all runs appended to: no alert is missing; no run writes an alert
 * twice, nor one that the state it resumed from had seen, so every repeat is of an alert written after the snapshot
 * it resumed from was triggered (what that snapshot's dedup state could not know); repeats are counted per run, and
 * the run resumed from the stop savepoint repeats nothing. The bound is exact, not timed: a watcher reads the file's
 * length before each listing of the checkpoint directory, so every line before the length it read just before a
 * snapshot directory appeared was written before that snapshot was triggered.
 */
class KillAndRestartTest {
    private static final String STREAM = "kr-events";
    private static final Pattern RESUMING = Pattern.compile(
            "resuming from the newest complete (checkpoint|savepoint) (\\S+) \\(id");
    private static final Pattern STOPPED = Pattern.compile("stopped with savepoint (\\S+): the same command");

    /** Alerts a run writes before it is ended (but the one killed before its first checkpoint). */
    private static final int OWN_ALERTS = 50;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static KinesisLocal kinesis;
    private static KinesisClient client;

    @BeforeAll
    static void startKinesis() throws Exception {
        kinesis = KinesisLocal.start(STREAM + ":2", Collections.singletonList(STREAM));
        client = kinesis.client();
    }

    @AfterAll
    static void stopKinesis() throws Exception {
        if (client != null) {
            client.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
    }

    private enum Moment { BETWEEN_CHECKPOINTS, DURING_A_CHECKPOINT, BEFORE_ITS_FIRST_CHECKPOINT, SIGTERM }

    /** One run of the command and how it ended. */
    private static final class RunRecord {
        final int number;
        final Path log;
        final long startOffset;
        long endOffset;
        Moment end;
        String resumedFrom; // local path of the snapshot it resumed from, null when it started empty
        String savepoint; // local path of the savepoint its stop took, or null
        Path jobDir;

        RunRecord(int number, Path log, long startOffset) {
            this.number = number;
            this.log = log;
            this.startOffset = startOffset;
        }
    }

    @Test
    void killedWithSigkillAtAnyMomentAndStartedAgainTheSameCommandLosesNoAlert(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Path alerts = dir.resolve("alerts.jsonl");
        Path rules = dir.resolve("rules.yaml");
        Files.write(rules, TestRules.BASE_RULES.getBytes(StandardCharsets.UTF_8));
        List<String> command = command(checkpoints, alerts, dir.resolve("dead-letters.jsonl"), rules);
        Watcher watcher = new Watcher(checkpoints, alerts);
        watcher.start();
        CreateUserProducer producer = new CreateUserProducer(client, STREAM, "kr-", 20);
        List<RunRecord> runs = new ArrayList<>();
        Deque<Moment> plan = new ArrayDeque<>(Arrays.asList(Moment.BETWEEN_CHECKPOINTS, Moment.DURING_A_CHECKPOINT,
                Moment.BEFORE_ITS_FIRST_CHECKPOINT, Moment.SIGTERM));
        Map<Moment, Integer> misses = new HashMap<>();
        long started = System.nanoTime();
        Process current = null;
        try {
            while (true) {
                RunRecord run = new RunRecord(runs.size() + 1, dir.resolve("run-" + (runs.size() + 1) + ".log"),
                        size(alerts));
                current = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(run.log.toFile())
                        .start();
                run.resumedFrom = awaitStartingPoint(run, current);
                run.jobDir = awaitNewJobDir(checkpoints, runs, current);
                phase(started, "run " + run.number + " up, job " + run.jobDir.getFileName());
                if (runs.isEmpty()) {
                    assertThat(run.resumedFrom).as("the first run starts empty").isNull();
                    assertThat(read(run.log)).contains("starting with empty state: no complete checkpoint");
                    runs.add(run);
                    warmUp(alerts, current);
                    phase(started, "run 1 reads both shards; the producer starts");
                    producer.start();
                } else {
                    assertThat(run.resumedFrom).as("run " + run.number + " resumes from the newest complete "
                            + "snapshot:\n" + read(run.log)).isEqualTo(expectedResume(runs.get(runs.size() - 1)));
                    runs.add(run);
                }
                if (plan.isEmpty()) {
                    break; // the last run stays up until every alert is in
                }
                Moment planned = plan.poll();
                if (planned != Moment.BEFORE_ITS_FIRST_CHECKPOINT) {
                    // The run does real work before it ends: it reads the backlog and writes alerts of its own.
                    long from = run.startOffset;
                    awaitUntil("run " + run.number + " writes " + OWN_ALERTS + " alerts", current,
                            () -> alertKeys(linesBetween(lines(alerts, size(alerts)), from, Long.MAX_VALUE)).size()
                                    >= OWN_ALERTS);
                }
                phase(started, "run " + run.number + " wrote its own alerts; ending it " + planned);
                run.end = end(run, current, planned);
                phase(started, "run " + run.number + " ended " + run.end);
                if (run.end != planned) {
                    // The moment was missed (a checkpoint completed or began just then): the kill still counts as
                    // the moment it was; the planned one is tried again on the next run.
                    assertThat(misses.merge(planned, 1, Integer::sum)).as("attempts at " + planned).isLessThan(4);
                    plan.addFirst(planned);
                }
                run.endOffset = size(alerts);
            }

            RunRecord last = runs.get(runs.size() - 1);
            Thread.sleep(2000); // the producer keeps going into the last run
            producer.stopAndJoin();
            int sent = producer.sent.get();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < sent; i++) {
                expected.add("Create IAM User@" + producer.id(i));
            }
            await("all " + sent + " alerts in " + alerts, Duration.ofSeconds(90),
                    () -> new HashSet<>(alertKeys(lines(alerts, size(alerts)))).containsAll(expected));
            current.destroy();
            assertThat(current.waitFor(60, TimeUnit.SECONDS)).as("the last run exits after SIGTERM").isTrue();
            last.endOffset = size(alerts);
            watcher.stopAndJoin();

            List<Line> all = lines(alerts, last.endOffset);
            assertThat(all).as("no torn or unreadable line").allSatisfy(l -> assertThat(l.json).isNotNull());
            Set<String> found = new HashSet<>(alertKeys(all));
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(found);
            assertThat(missing).as("alerts lost over " + runs.size() + " runs").isEmpty();

            // What each run's restored state knew: the alerts written, in the lineage of its snapshot, before that
            // snapshot was triggered. A run never writes an alert its state knew, nor one alert twice; an alert it
            // writes again (a repeat) is one its snapshot could not know.
            Map<String, Long> seenAt = new HashMap<>();
            Map<Integer, Integer> repeatsByRun = new LinkedHashMap<>();
            for (RunRecord r : runs) {
                Set<String> known = known(r.resumedFrom, runs, all, watcher);
                Set<String> own = new HashSet<>();
                int repeats = 0;
                for (Line l : linesBetween(all, r.startOffset, r.endOffset)) {
                    if (l.key == null) {
                        continue;
                    }
                    assertThat(known).as("run " + r.number + " wrote " + l.key + ", which the state it resumed "
                            + "from (" + r.resumedFrom + ") had already seen").doesNotContain(l.key);
                    assertThat(own.add(l.key)).as("run " + r.number + " wrote " + l.key + " twice").isTrue();
                    if (seenAt.putIfAbsent(l.key, l.offset) != null) {
                        repeats++;
                    }
                }
                repeatsByRun.put(r.number, repeats);
            }
            for (int i = 0; i + 1 < runs.size(); i++) {
                if (runs.get(i).end == Moment.SIGTERM) {
                    assertThat(repeatsByRun.get(runs.get(i + 1).number))
                            .as("repeats in run " + runs.get(i + 1).number + ", resumed from the stop savepoint")
                            .isZero();
                }
            }
            for (Moment m : Moment.values()) {
                assertThat(runs).as("a run ended " + m).anySatisfy(r -> assertThat(r.end).isEqualTo(m));
            }

            StringBuilder report = new StringBuilder("kill and restart: " + sent + " events put, "
                    + expected.size() + " alerts expected, " + found.size() + " distinct alerts found ("
                    + (found.size() - expected.size()) + " warm-up), "
                    + (all.stream().filter(l -> l.key != null).count() - found.size()) + " repeated lines, "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
            for (RunRecord r : runs) {
                report.append("\n  run ").append(r.number).append(": ")
                        .append(r.resumedFrom == null ? "started empty" : "resumed from " + shortName(r.resumedFrom))
                        .append(", ").append(alertKeys(linesBetween(all, r.startOffset, r.endOffset)).size())
                        .append(" alert lines, ").append(repeatsByRun.get(r.number)).append(" repeats; ended ")
                        .append(r.end == null ? "with SIGTERM once every alert was in" : r.end);
            }
            System.err.println(report);
        } finally {
            SeparateJvm.keepLogs(dir, "kill-and-restart");
            if (current != null && current.isAlive()) {
                current.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            producer.running.set(false);
            watcher.running = false;
        }
    }

    private static void phase(long started, String what) {
        System.err.printf("kill and restart, %5.1f s: %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** {@code JOB_ID/chk-N}, or {@code savepoints/savepoint-...}. */
    private static String shortName(String snapshot) {
        Path p = Paths.get(snapshot);
        return p.getParent().getFileName() + "/" + p.getFileName();
    }

    // ---- the moments ---------------------------------------------------------------------------------------------

    /** Ends the run at the planned moment; returns the moment the end really came at. */
    private static Moment end(RunRecord run, Process p, Moment planned) throws Exception {
        switch (planned) {
            case BETWEEN_CHECKPOINTS: {
                // After a further checkpoint of this run completed, freeze the process (SIGSTOP) when none is in
                // progress, check again while nothing can change, and kill it frozen; else let it go on and retry.
                awaitCompleteIn(run.jobDir, 1, p);
                long newest = newestCompleteId(run.jobDir);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    awaitUntil("a further checkpoint of run " + run.number + " and none in progress", p,
                            () -> newestCompleteId(run.jobDir) > newest && inProgressIn(run.jobDir).isEmpty());
                    signal(p, "STOP");
                    if (inProgressIn(run.jobDir).isEmpty()) {
                        kill(p);
                        return Moment.BETWEEN_CHECKPOINTS;
                    }
                    signal(p, "CONT");
                }
                throw new AssertionError("no moment between checkpoints in run " + run.number + " within 60 s");
            }
            case DURING_A_CHECKPOINT: {
                // Spin until a checkpoint directory exists without its _metadata, freeze the process (SIGSTOP), and
                // kill it frozen if the checkpoint is still incomplete; else let it go on and wait for the next one.
                awaitCompleteIn(run.jobDir, 1, p);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && p.isAlive()) {
                    List<Path> inProgress = inProgressIn(run.jobDir);
                    if (inProgress.isEmpty()) {
                        continue;
                    }
                    signal(p, "STOP");
                    if (inProgressIn(run.jobDir).contains(inProgress.get(0))) {
                        kill(p);
                        assertThat(inProgressIn(run.jobDir)).as("killed during a checkpoint")
                                .contains(inProgress.get(0));
                        return Moment.DURING_A_CHECKPOINT;
                    }
                    signal(p, "CONT");
                }
                throw new AssertionError("no checkpoint caught in progress in run " + run.number + " within 60 s");
            }
            case BEFORE_ITS_FIRST_CHECKPOINT: {
                // The run is up (its job directory exists) and has not completed a checkpoint; if it has by the time
                // the kill lands, the kill was the moment it was, and the planned one is tried on the next run.
                kill(p);
                if (!completeIn(run.jobDir).isEmpty()) {
                    return inProgressIn(run.jobDir).isEmpty() ? Moment.BETWEEN_CHECKPOINTS
                            : Moment.DURING_A_CHECKPOINT;
                }
                return Moment.BEFORE_ITS_FIRST_CHECKPOINT;
            }
            case SIGTERM: {
                awaitCompleteIn(run.jobDir, 1, p);
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("run " + run.number + " exits after SIGTERM")
                        .isTrue();
                String log = read(run.log);
                assertThat(log).contains("stopping: taking a savepoint into");
                Matcher m = STOPPED.matcher(log);
                assertThat(m.find()).as("run " + run.number + " logs its savepoint:\n" + log).isTrue();
                run.savepoint = localPath(m.group(1));
                return Moment.SIGTERM;
            }
            default:
                throw new IllegalStateException();
        }
    }

    /**
     * The alert keys in the dedup state of {@code snapshot} (null: empty state): those its run wrote before the
     * snapshot was triggered, and those in the snapshot that run resumed from.
     */
    private static Set<String> known(String snapshot, List<RunRecord> runs, List<Line> all, Watcher watcher) {
        Set<String> known = new HashSet<>();
        if (snapshot == null) {
            return known;
        }
        RunRecord creator = null;
        for (RunRecord r : runs) {
            if (Paths.get(snapshot).startsWith(r.jobDir) || snapshot.equals(r.savepoint)) {
                creator = r;
            }
        }
        assertThat(creator).as("the run that wrote " + snapshot).isNotNull();
        Long bound = watcher.lengthBefore(snapshot);
        assertThat(bound).as("the watcher saw " + snapshot + " appear").isNotNull();
        assertThat(bound).as(snapshot + " began within the run that wrote it")
                .isBetween(creator.startOffset, creator.endOffset);
        known.addAll(known(creator.resumedFrom, runs, all, watcher));
        known.addAll(alertKeys(linesBetween(all, creator.startOffset, bound)));
        return known;
    }

    /** What the run after {@code previous} must resume from. */
    private static String expectedResume(RunRecord previous) throws IOException {
        switch (previous.end) {
            case BETWEEN_CHECKPOINTS:
            case DURING_A_CHECKPOINT: {
                List<Path> complete = completeIn(previous.jobDir);
                return complete.get(complete.size() - 1).toString();
            }
            case BEFORE_ITS_FIRST_CHECKPOINT:
                return previous.resumedFrom;
            case SIGTERM:
                return previous.savepoint;
            default:
                throw new IllegalStateException();
        }
    }

    // ---- the command -----------------------------------------------------------------------------------------------

    private static List<String> command(Path checkpoints, Path alerts, Path deadLetters, Path rules) {
        return SeparateJvm.command(Arrays.asList("run", "--events-stream", STREAM, "--aws-endpoint", kinesis.endpoint(),
                "--output", "file:" + alerts, "--no-bundled-rules", "--rules", rules.toString(),
                "--set", "checkpoint.dir=" + checkpoints,
                "--set", "checkpoint.interval=500ms",
                "--set", "dead_letter.output=file:" + deadLetters,
                "--set", "parallelism=2",
                "--set", "local.web_ui_port=0",
                "--set", "kinesis.flink.shard.getrecords.intervalmillis=100"));
    }

    /** Waits for the run's starting-point decision; returns the local path it resumes from, or null. */
    private static String awaitStartingPoint(RunRecord run, Process p) throws Exception {
        awaitUntil("run " + run.number + " decides its starting point", p, () -> {
            String log = read(run.log);
            return RESUMING.matcher(log).find() || log.contains("starting with empty state");
        });
        Matcher m = RESUMING.matcher(read(run.log));
        return m.find() ? localPath(m.group(2)) : null;
    }

    /** The job directory this run's job creates (a job id not seen in an earlier run). */
    private static Path awaitNewJobDir(Path checkpoints, List<RunRecord> runs, Process p) throws Exception {
        Set<Path> known = runs.stream().map(r -> r.jobDir).filter(d -> d != null).collect(Collectors.toSet());
        return SeparateJvm.awaitNewJobDir(checkpoints, known, WAIT, p);
    }

    /** Waits for {@code condition}, failing at once when the process died. */
    private static void awaitUntil(String what, Process p, java.util.function.Supplier<Boolean> condition)
            throws Exception {
        SeparateJvm.awaitUntil(what, WAIT, p, condition);
    }

    /** Puts warm-up events until both shards' readers are positioned (an alert from each shard came out). */
    private static void warmUp(Path alerts, Process p) throws Exception {
        Map<String, String> shardOf = new ConcurrentHashMap<>();
        AtomicInteger n = new AtomicInteger();
        awaitUntil("the events source reads both shards", p, () -> {
            String id = "warm-up-" + n.getAndIncrement();
            List<String> shard = putEvents(client, STREAM, Collections.singletonList(createUser(id)));
            shardOf.put(id, shard.get(0));
            sleep(200);
            Set<String> seen = new HashSet<>();
            for (String key : alertKeys(lines(alerts, size(alerts)))) {
                String shardId = shardOf.get(key.substring(key.indexOf('@') + 1));
                if (shardId != null) {
                    seen.add(shardId);
                }
            }
            return seen.size() == 2;
        });
    }

    // ---- the producer and the watcher ------------------------------------------------------------------------------

    private static ObjectNode createUser(String id) {
        return TestEvents.record("iam.amazonaws.com", "CreateUser", id, Instant.now().toString());
    }

    /**
     * Polls every few milliseconds: reads the alerts file's length, then lists the snapshot directories. For each
     * directory it keeps the length read in the poll before the one that first listed it: every line before that
     * length was written before the snapshot was triggered.
     */
    private static final class Watcher extends Thread {
        private final Path checkpoints;
        private final Path alerts;
        private final Map<String, Long> lengthBefore = new ConcurrentHashMap<>();
        volatile boolean running = true;
        volatile Throwable failure;

        Watcher(Path checkpoints, Path alerts) {
            this.checkpoints = checkpoints;
            this.alerts = alerts;
            setDaemon(true);
        }

        @Override
        public void run() {
            long previous = 0;
            try {
                while (running) {
                    long length = size(alerts);
                    for (Path top : list(checkpoints)) {
                        for (Path snapshot : list(top)) {
                            lengthBefore.putIfAbsent(snapshot.toString(), previous);
                        }
                    }
                    previous = length;
                    Thread.sleep(2);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        Long lengthBefore(String snapshot) {
            return lengthBefore.get(snapshot);
        }

        void stopAndJoin() throws InterruptedException {
            running = false;
            join(10_000);
            assertThat(failure).as("watcher").isNull();
        }
    }

    // ---- files ---------------------------------------------------------------------------------------------------

    /** One line of the alerts file: where it starts, its JSON (null when unreadable), its alert key (or null). */
    private static final class Line {
        final long offset;
        final JsonNode json;
        final String key;

        Line(long offset, JsonNode json) {
            this.offset = offset;
            this.json = json;
            this.key = json == null || json.has("type") ? null
                    : json.get("rule").asText() + "@" + json.get("event_id").asText();
        }
    }

    /** The complete lines of the file within its first {@code upTo} bytes. */
    private static List<Line> lines(Path file, long upTo) {
        List<Line> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int end = (int) Math.min(bytes.length, upTo);
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                JsonNode json;
                try {
                    json = JobJson.mapper().readTree(text);
                } catch (IOException e) {
                    json = null;
                }
                out.add(new Line(start, json));
                start = i + 1;
            }
        }
        return out;
    }

    private static List<Line> linesBetween(List<Line> all, long from, long to) {
        return all.stream().filter(l -> l.offset >= from && l.offset < to).collect(Collectors.toList());
    }

    private static List<String> alertKeys(List<Line> lines) {
        return lines.stream().filter(l -> l.key != null).map(l -> l.key).collect(Collectors.toList());
    }

    private static RunRecord runOf(List<RunRecord> runs, long offset) {
        for (RunRecord r : runs) {
            if (offset >= r.startOffset && offset < r.endOffset) {
                return r;
            }
        }
        throw new AssertionError("no run wrote offset " + offset);
    }

    private static List<Path> completeIn(Path jobDir) {
        return checkpointsIn(jobDir, true);
    }

    /**
     * The checkpoints of a job begun and not complete: newer than its newest complete one. (An older directory
     * without {@code _metadata} is one Flink is discarding: it deletes {@code _metadata} first.)
     */
    private static List<Path> inProgressIn(Path jobDir) {
        long newest = newestCompleteId(jobDir);
        List<Path> out = new ArrayList<>();
        for (Path d : checkpointsIn(jobDir, false)) {
            if (Long.parseLong(d.getFileName().toString().substring(4)) > newest) {
                out.add(d);
            }
        }
        return out;
    }

    /** The chk-N directories of a job, by id, with or without a non-empty _metadata. */
    private static List<Path> checkpointsIn(Path jobDir, boolean complete) {
        List<Path> out = new ArrayList<>();
        for (Path d : list(jobDir)) {
            if (!d.getFileName().toString().matches("chk-\\d+")) {
                continue;
            }
            Path m = d.resolve("_metadata");
            boolean done;
            try {
                done = Files.isRegularFile(m) && Files.size(m) > 0;
            } catch (IOException e) {
                done = false;
            }
            if (done == complete) {
                out.add(d);
            }
        }
        out.sort((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString().substring(4)),
                Long.parseLong(b.getFileName().toString().substring(4))));
        return out;
    }

    /** The id of the newest complete checkpoint of a job (Flink keeps only the last few), or -1. */
    private static long newestCompleteId(Path jobDir) {
        List<Path> complete = completeIn(jobDir);
        return complete.isEmpty() ? -1
                : Long.parseLong(complete.get(complete.size() - 1).getFileName().toString().substring(4));
    }

    private static void awaitCompleteIn(Path jobDir, int n, Process p) throws Exception {
        awaitUntil(n + " complete checkpoint(s) in " + jobDir, p, () -> completeIn(jobDir).size() >= n);
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String localPath(String pathOrUri) {
        return pathOrUri.startsWith("file:") ? Paths.get(URI.create(pathOrUri)).toString() : pathOrUri;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
