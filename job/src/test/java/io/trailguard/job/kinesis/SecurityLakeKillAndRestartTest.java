package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestRules;
import io.trailguard.job.s3.LocalS3Sqs;
import io.trailguard.job.sink.ocsf.lake.LakeLocation;
import io.trailguard.job.sink.ocsf.lake.LakeS3;
import io.trailguard.job.sink.ocsf.lake.ParquetFindings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.trailguard.job.kinesis.SeparateJvm.kill;
import static io.trailguard.job.kinesis.SeparateJvm.list;
import static io.trailguard.job.kinesis.SeparateJvm.read;
import static io.trailguard.job.kinesis.SeparateJvm.signal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run --output ocsf:s3://BUCKET/PREFIX} as a separate JVM against kinesis-local (2 shards) and a real S3 server
 * (S3Proxy, in this JVM, so it outlives every kill), while a producer keeps putting CreateUser events with unique
 * eventIDs; the same command is started three times:
 * <ol>
 *   <li>run 1 starts empty and is killed with SIGKILL <em>between a checkpoint and its commit</em>: the test spins until
 *       a new checkpoint's {@code _metadata} exists, freezes the process (SIGSTOP), and kills it only if files staged
 *       for that checkpoint are still at their staging keys (else it lets the process go on and tries the next one);</li>
 *   <li>run 2 resumes from that checkpoint: its committer must publish exactly those staged files, at the final keys
 *       their committables name, with the tokens they were staged with; every file it writes itself has a sequence
 *       above the restored checkpoint id; it is killed with SIGKILL after checkpoints of its own;</li>
 *   <li>run 3 resumes and runs until every event's finding is published, then is stopped with SIGTERM.</li>
 * </ol>
 * Afterwards every final object is read back (AWS SDK + parquet reader): there is exactly one finding per event put
 * (none lost, none published twice), every finding version's {@code metadata.uid} once, no final object was replaced
 * after it appeared (its token is the one first seen) and no name collided (no fallback key).
 */
class SecurityLakeKillAndRestartTest {
    private static final String STREAM = "lake-kr-events";
    private static final String BUCKET = "aws-security-data-lake-us-east-1-killtest";
    private static final String PREFIX = "ext/trailguard";
    private static final LakeLocation LOCATION = LakeLocation.parse("s3://" + BUCKET + "/" + PREFIX);
    private static final Pattern RESUMING = Pattern.compile(
            "resuming from the newest complete (checkpoint|savepoint) (\\S+) \\(id");
    /** A final object's name: job id, subtask, sequence (a fallback key would carry a token after it). */
    private static final Pattern NAME = Pattern.compile("trailguard-([0-9a-f]{32})-(\\d+)-(\\d+)\\.parquet");
    private static final String RULE = "Create IAM User";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static KinesisLocal kinesis;
    private static KinesisClient client;
    private static LocalS3Sqs aws;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        kinesis = KinesisLocal.start(STREAM + ":2", Collections.singletonList(STREAM));
        client = kinesis.client();
        aws = LocalS3Sqs.start();
        s3 = aws.s3();
        s3.createBucket(r -> r.bucket(BUCKET));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void killedBetweenACheckpointAndItsCommitAndStartedAgainPublishesEveryFindingExactlyOnce(@TempDir Path dir)
            throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Path rules = dir.resolve("rules.yaml");
        Files.write(rules, TestRules.BASE_RULES.getBytes(StandardCharsets.UTF_8));
        List<String> command = command(checkpoints, dir.resolve("dead-letters.jsonl"), rules);
        CreateUserProducer producer = new CreateUserProducer(client, STREAM, "lk-", 25);
        Map<String, String> firstToken = new HashMap<>(); // final key -> token when first seen
        Process p = null;
        long started = System.nanoTime();
        try {
            // run 1
            Path log1 = dir.resolve("run-1.log");
            p = SeparateJvm.start(command, log1);
            awaitUntil("run 1 decides its starting point", p, () -> read(log1).contains("starting with empty state"));
            Path job1 = awaitNewJobDir(checkpoints, Collections.emptySet(), p);
            producer.start();
            Process p1 = p;
            awaitUntil("run 1 completes 2 checkpoints and publishes", p, () -> completeIds(job1).size() >= 2
                    && !finalKeys().isEmpty());
            phase(started, "run 1 up (job " + job1.getFileName() + "), publishing");
            Map<String, String> stagedAtKill = killBetweenCheckpointAndCommit(p1, job1);
            long restored1 = newestCompleteId(job1);
            phase(started, "run 1 killed after checkpoint " + restored1 + " completed, before it committed "
                    + stagedAtKill.keySet());
            recordTokens(firstToken);

            // run 2
            Path log2 = dir.resolve("run-2.log");
            p = SeparateJvm.start(command, log2);
            Process p2 = p;
            awaitUntil("run 2 decides its starting point", p, () -> RESUMING.matcher(read(log2)).find());
            Matcher m = RESUMING.matcher(read(log2));
            assertThat(m.find()).isTrue();
            assertThat(m.group(2)).as("run 2 resumes from run 1's newest complete checkpoint")
                    .endsWith(job1.getFileName() + "/chk-" + restored1);
            Path job2 = awaitNewJobDir(checkpoints, Set.of(job1), p);
            Map<String, String> expectedFinal = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : stagedAtKill.entrySet()) {
                expectedFinal.put(finalKeyOf(e.getKey()), e.getValue());
            }
            awaitUntil("run 2 commits the files run 1 staged for checkpoint " + restored1, p,
                    () -> finalKeys().containsAll(expectedFinal.keySet()));
            for (Map.Entry<String, String> e : expectedFinal.entrySet()) {
                assertThat(token(e.getKey())).as("the re-commit of " + e.getKey() + " publishes the staged file")
                        .isEqualTo(e.getValue());
            }
            awaitUntil("run 2 publishes files of its own after 2 checkpoints", p, () -> completeIds(job2).size() >= 2
                    && ownKeys(job2).size() >= 2);
            for (String key : ownKeys(job2)) {
                assertThat(sequence(key)).as(key + ": a file of the run restored from checkpoint " + restored1)
                        .isGreaterThan(restored1);
            }
            kill(p2);
            long restored2 = newestCompleteId(job2);
            phase(started, "run 2 killed after checkpoint " + restored2);
            recordTokens(firstToken);

            // run 3
            Path log3 = dir.resolve("run-3.log");
            p = SeparateJvm.start(command, log3);
            Process p3 = p;
            awaitUntil("run 3 decides its starting point", p, () -> RESUMING.matcher(read(log3)).find());
            Matcher m3 = RESUMING.matcher(read(log3));
            assertThat(m3.find()).isTrue();
            assertThat(m3.group(2)).endsWith(job2.getFileName() + "/chk-" + restored2);
            Path job3 = awaitNewJobDir(checkpoints, Set.of(job1, job2), p);
            Thread.sleep(2000); // the producer keeps going into the last run
            producer.stopAndJoin();
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < producer.sent.get(); i++) {
                expected.add(producer.id(i));
            }
            Map<String, ParquetFindings> read = new HashMap<>();
            awaitUntil("all " + expected.size() + " findings published", p3, () -> {
                Set<String> events = new HashSet<>();
                for (ParquetFindings f : readAll(dir, read).values()) {
                    events.addAll(eventIds(f));
                }
                return events.containsAll(expected);
            });
            p3.destroy(); // SIGTERM: stop with a savepoint
            assertThat(p3.waitFor(90, TimeUnit.SECONDS)).as("run 3 exits after SIGTERM").isTrue();
            for (String key : ownKeys(job3)) {
                assertThat(sequence(key)).as(key).isGreaterThan(restored2);
            }

            Map<String, ParquetFindings> all = readAll(dir, read);
            List<String> events = new ArrayList<>();
            Set<String> versions = new HashSet<>();
            for (Map.Entry<String, ParquetFindings> e : all.entrySet()) {
                assertThat(NAME.matcher(e.getKey().substring(e.getKey().lastIndexOf('/') + 1)).matches())
                        .as("no fallback key: no name collided").isTrue();
                events.addAll(eventIds(e.getValue()));
                for (ObjectNode f : e.getValue().findings) {
                    assertThat(versions.add(f.path("metadata").path("uid").asText()))
                            .as("finding version published once: " + f.path("metadata").path("uid")).isTrue();
                }
            }
            Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            Map<String, Long> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(twice).as("findings published more than once").isEmpty();
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(counts.keySet());
            assertThat(missing).as("findings lost").isEmpty();
            assertThat(counts.keySet()).as("only findings of events put").isEqualTo(expected);
            for (Map.Entry<String, String> e : firstToken.entrySet()) {
                assertThat(token(e.getKey())).as(e.getKey() + " is never replaced").isEqualTo(e.getValue());
            }
            List<String> leftovers = keys(LOCATION.stagingPrefix());
            System.err.println("security lake kill and restart: " + expected.size() + " events, " + all.size()
                    + " final objects, " + events.size() + " findings, each once; " + stagedAtKill.size()
                    + " files staged for checkpoint " + restored1 + " at the kill, committed by run 2; "
                    + leftovers.size() + " staging objects left by the killed attempts; "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
        } finally {
            SeparateJvm.keepLogs(dir, "security-lake-kill-and-restart");
            producer.running.set(false);
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Spins until a new checkpoint of the job completes, freezes the process, and kills it when files staged for
     * that checkpoint (sequence = its id: run 1 starts at 1 and every checkpoint reaches every writer) are still at
     * their staging keys; returns them (staging key -> token).
     */
    private static Map<String, String> killBetweenCheckpointAndCommit(Process p, Path jobDir) throws Exception {
        String job = jobDir.getFileName().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int attempts = 0;
        while (System.nanoTime() < deadline) {
            long newest = newestCompleteId(jobDir);
            while (newestCompleteId(jobDir) <= newest) {
                assertThat(p.isAlive()).as("run 1 alive").isTrue();
                Thread.onSpinWait();
            }
            signal(p, "STOP");
            attempts++;
            long id = newestCompleteId(jobDir);
            Map<String, String> staged = new LinkedHashMap<>();
            for (String key : keys(LOCATION.stagingPrefix())) {
                Matcher m = NAME.matcher(key.substring(key.lastIndexOf('/') + 1));
                if (m.matches() && m.group(1).equals(job) && Long.parseLong(m.group(3)) == id) {
                    String t = token(key, true);
                    if (t != null) {
                        staged.put(key, t);
                    }
                }
            }
            if (!staged.isEmpty()) {
                kill(p);
                System.err.println("killed between checkpoint " + id + " and its commit at attempt " + attempts);
                return staged;
            }
            signal(p, "CONT");
        }
        throw new AssertionError("no moment between a checkpoint and its commit caught in " + attempts + " attempts");
    }

    private static String finalKeyOf(String stagingKey) {
        return PREFIX + "/" + stagingKey.substring(LOCATION.stagingPrefix().length());
    }

    private static long sequence(String key) {
        Matcher m = NAME.matcher(key.substring(key.lastIndexOf('/') + 1));
        assertThat(m.matches()).as(key).isTrue();
        return Long.parseLong(m.group(3));
    }

    /** The final keys written by the job of {@code jobDir}. */
    private static List<String> ownKeys(Path jobDir) {
        String job = jobDir.getFileName().toString();
        return finalKeys().stream().filter(k -> k.contains("/trailguard-" + job + "-")).collect(Collectors.toList());
    }

    private static void recordTokens(Map<String, String> tokens) {
        for (String key : finalKeys()) {
            tokens.putIfAbsent(key, token(key));
        }
    }

    private static String token(String key) {
        return token(key, false);
    }

    private static String token(String key, boolean mayBeGone) {
        try {
            return s3.headObject(r -> r.bucket(BUCKET).key(key)).metadata().get(LakeS3.TOKEN);
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            if (mayBeGone) {
                return null;
            }
            throw e;
        }
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().collect(Collectors.toList());
    }

    private static List<String> finalKeys() {
        return keys(PREFIX + "/");
    }

    /** Every final object read back, reading only the keys not read before. */
    private static Map<String, ParquetFindings> readAll(Path dir, Map<String, ParquetFindings> read) {
        for (String key : finalKeys()) {
            if (!read.containsKey(key)) {
                Path file = dir.resolve("object.parquet");
                try {
                    Files.deleteIfExists(file);
                    s3.getObject(b -> b.bucket(BUCKET).key(key), file);
                    read.put(key, ParquetFindings.read(file));
                } catch (IOException e) {
                    throw new IllegalStateException(key, e);
                }
            }
        }
        return read;
    }

    /** The eventID of each CreateUser finding of the file (its evidence's uid). */
    private static List<String> eventIds(ParquetFindings f) {
        return f.findings.stream().filter(n -> RULE.equals(n.path("finding_info").path("title").asText()))
                .map(n -> n.path("evidences").path(0).path("uid").asText()).collect(Collectors.toList());
    }

    // ---- the processes -------------------------------------------------------------------------------------------

    private static List<String> command(Path checkpoints, Path deadLetters, Path rules) {
        return SeparateJvm.command(Arrays.asList("run", "--events-stream", STREAM, "--aws-endpoint", kinesis.endpoint(),
                "--output", "ocsf:s3://" + BUCKET + "/" + PREFIX, "--no-bundled-rules", "--rules", rules.toString(),
                "--set", "s3.endpoint=" + aws.s3Endpoint(),
                "--set", "events.initial_position=TRIM_HORIZON",
                "--set", "checkpoint.dir=" + checkpoints,
                "--set", "checkpoint.interval=500ms",
                "--set", "dead_letter.output=file:" + deadLetters,
                "--set", "parallelism=2",
                "--set", "local.web_ui_port=0",
                "--set", "kinesis.flink.shard.getrecords.intervalmillis=100"));
    }

    private static Path awaitNewJobDir(Path checkpoints, Set<Path> known, Process p) throws Exception {
        return SeparateJvm.awaitNewJobDir(checkpoints, known, WAIT, p);
    }

    private static void awaitUntil(String what, Process p, Supplier<Boolean> condition) throws Exception {
        SeparateJvm.awaitUntil(what, WAIT, p, condition);
    }

    /** The ids of the job's complete checkpoints ({@code chk-N} with a non-empty {@code _metadata}), ascending. */
    private static List<Long> completeIds(Path jobDir) {
        List<Long> out = new ArrayList<>();
        for (Path d : list(jobDir)) {
            String n = d.getFileName().toString();
            if (!n.matches("chk-\\d+")) {
                continue;
            }
            Path m = d.resolve("_metadata");
            try {
                if (Files.isRegularFile(m) && Files.size(m) > 0) {
                    out.add(Long.parseLong(n.substring(4)));
                }
            } catch (IOException e) {
                // being written or discarded
            }
        }
        Collections.sort(out);
        return out;
    }

    private static long newestCompleteId(Path jobDir) {
        List<Long> ids = completeIds(jobDir);
        return ids.isEmpty() ? -1 : ids.get(ids.size() - 1);
    }

    private static void phase(long started, String what) {
        System.err.printf("security lake kill and restart, %5.1f s: %s%n", (System.nanoTime() - started) / 1e9, what);
    }
}
