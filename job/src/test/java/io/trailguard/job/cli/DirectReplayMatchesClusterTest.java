package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two replay executors give byte-identical alert lines and dead-letter lines and the same counts: the direct one
 * ({@code BoundedReplay}, no cluster) and the bounded detection graph in a MiniCluster, on the project's own events
 * (the job's samples, the rules' test events, hostile input that must be dead-lettered, repeated events) and, when
 * {@code ../shared} is present, the Stratus Red Team and Invictus corpora (required under {@code CI=true}).
 * Lines are compared as sorted lists: the cluster's order depends on its scheduling.
 */
class DirectReplayMatchesClusterTest {
    @Test
    void projectEventsAndHostileInput(@TempDir Path dir) throws Exception {
        List<ReplayInput> inputs = new ArrayList<>(DemoCommand.sampleInputs());
        for (Path f : files(Paths.get("..", "rules", "src", "test", "resources"))) {
            inputs.add(ReplayInput.file(f.toString()));
        }
        for (Path f : hostile(dir)) {
            inputs.add(ReplayInput.file(f.toString()));
        }
        Compared c = compare(inputs);
        assertThat(c.alerts).as("alerts").hasSizeGreaterThan(10);
        assertThat(c.deadLetters).as("dead letters of the hostile input").hasSizeGreaterThanOrEqualTo(6);
        assertThat(c.summary).contains("duplicates dropped");
        assertThat(c.summary).doesNotContain(" 0 duplicates dropped");
    }

    @Test
    void realCorpora() throws Exception {
        Path corpora = null;
        for (String base : new String[] {"../shared", "../../shared"}) {
            Path p = Paths.get(base, "corpora");
            if (Files.isDirectory(p.resolve("stratus-red-team")) && Files.isDirectory(p.resolve("invictus-ir-aws_dataset"))) {
                corpora = p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(corpora).as("../shared/corpora is required under CI=true").isNotNull();
        }
        Assumptions.assumeTrue(corpora != null, "../shared/corpora is not present: skipping");
        List<ReplayInput> inputs = new ArrayList<>();
        for (String d : new String[] {"stratus-red-team/detonation-logs", "invictus-ir-aws_dataset/CloudTrail"}) {
            for (Path f : files(corpora.resolve(d))) {
                inputs.add(ReplayInput.file(f.toString()));
            }
        }
        Compared c = compare(inputs);
        assertThat(c.alerts).as("alerts").hasSizeGreaterThan(50);
        assertThat(c.alerts.stream().filter(l -> l.contains("\"aggregate\"")).count()).as("rate alerts").isPositive();
    }

    /** Replays the inputs both ways; asserts identical lines and counts; returns the direct run's lines. */
    private static Compared compare(List<ReplayInput> inputs) throws Exception {
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        RuleBundle rules = RuleFiles.startupBundle("replay", new RuleSelection(true, List.of(), List.of(), List.of()), MatchingMode.ALL,
                new PrintStream(quiet, true, StandardCharsets.UTF_8));
        Captured direct = new Captured();
        ReplayRunner.Summary d = ReplayRunner.runDirect(inputs, rules, MatchingMode.ALL, direct.cli,
                io.trailguard.job.replay.ReplayFormat.JSON);
        Captured cluster = new Captured();
        ReplayRunner.Summary k = ReplayRunner.runOnCluster(inputs, rules, MatchingMode.ALL, cluster.cli,
                List.of("stdout"), TrailguardConfig.empty());
        direct.cli.close();
        cluster.cli.close();

        assertThat(direct.alerts()).as("alert lines").isEqualTo(cluster.alerts());
        assertThat(direct.deadLetters()).as("dead-letter lines").isEqualTo(cluster.deadLetters());
        assertThat(new long[] {d.files, d.events, d.deadLetters, d.duplicates, d.alerts}).as("counts")
                .isEqualTo(new long[] {k.files, k.events, k.deadLetters, k.duplicates, k.alerts});
        return new Compared(direct.alerts(), direct.deadLetters(), d.toString());
    }

    /** Input that must be dead-lettered, and events that repeat. */
    private static List<Path> hostile(Path dir) throws IOException {
        String event = "{\"eventVersion\":\"1.08\",\"eventID\":\"e-%s\",\"eventName\":\"StopLogging\","
                + "\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventTime\":\"2024-03-01T00:00:0%sZ\","
                + "\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"123456789012\",\"userIdentity\":{\"type\":"
                + "\"IAMUser\",\"arn\":\"arn:aws:iam::123456789012:user/mallory\",\"accountId\":\"123456789012\"},"
                + "\"requestParameters\":{\"name\":\"trail\"},\"sourceIPAddress\":\"203.0.113.9\"}";
        List<Path> files = new ArrayList<>();
        files.add(write(dir, "lines.jsonl", "\uFEFF" + String.format(event, "1", "1") + "\n\n  \n{\"eventName\": oops}\n"
                + "42\n[1,2]\n" + String.format(event, "1", "1") + "\r\n" + String.format(event, "2", "2") + "\r\n"
                + "{\"Records\":[" + String.format(event, "3", "3") + "]}\n"));
        files.add(write(dir, "empty.json", "  \n"));
        files.add(write(dir, "blank.jsonl", "\n\n"));
        files.add(write(dir, "truncated.json", "{\"Records\":[{\"eventName\":\"StopLogging\""));
        files.add(write(dir, "sns.json", "{\"Type\":\"Notification\",\"Message\":\"{}\"}"));
        Path bad = dir.resolve("bad-utf8.jsonl");
        byte[] line = String.format(event, "4", "4").replace("mallory", "mall\u00e9ry").getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(line, line.length + 1);
        for (int i = 0; i < line.length; i++) {
            if ((line[i] & 0xff) == 0xC3) {
                broken[i] = (byte) 0xFF; // not UTF-8
            }
        }
        broken[line.length] = '\n';
        Files.write(bad, broken);
        files.add(bad);
        Path gz = dir.resolve("corrupt.json.gz");
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(z)) {
            o.write(String.format(event, "5", "5").getBytes(StandardCharsets.UTF_8));
        }
        byte[] zb = z.toByteArray();
        Files.write(gz, Arrays.copyOf(zb, zb.length / 2));
        files.add(gz);
        return files;
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".jsonl")
                            || f.toString().endsWith(".json.gz"))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static final class Compared {
        final List<String> alerts;
        final List<String> deadLetters;
        final String summary;

        Compared(List<String> alerts, List<String> deadLetters, String summary) {
            this.alerts = alerts;
            this.deadLetters = deadLetters;
            this.summary = summary;
        }
    }

    private static final class Captured {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        List<String> alerts() {
            return sorted(out.toString(StandardCharsets.UTF_8));
        }

        List<String> deadLetters() {
            return sorted(err.toString(StandardCharsets.UTF_8)).stream()
                    .filter(l -> l.startsWith("{\"type\":\"dead_letter\"")).collect(Collectors.toList());
        }

        private static List<String> sorted(String text) {
            return text.isEmpty() ? new ArrayList<>()
                    : Arrays.stream(text.split("\n")).filter(l -> !l.isEmpty()).sorted().collect(Collectors.toList());
        }
    }
}
