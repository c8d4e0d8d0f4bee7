package io.trailguard.job.cli;

import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.job.TestRules;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line through {@link Main#run}, with captured stdout and stderr (jobs run in a shared MiniCluster). */
class CliTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final Path BLOG = Paths.get("..", "rules", "src", "test", "resources", "blog");
    static final Pattern SUMMARY = Pattern.compile("replay: (\\d+) files, (\\d+) events read, (\\d+) dead-lettered, "
            + "(\\d+) duplicates dropped, (\\d+) alerts");

    /** One command-line run. */
    static final class Result {
        final int code;
        final String out;
        final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        List<String> outLines() {
            return out.isEmpty() ? new ArrayList<>() : Arrays.asList(out.split("\n"));
        }

        List<Alert> alerts() {
            return outLines().stream().map(Alert::fromJson).collect(Collectors.toList());
        }

        long summary(int group) {
            Matcher m = SUMMARY.matcher(err);
            assertThat(m.find()).as("summary on stderr:\n" + err).isTrue();
            return Long.parseLong(m.group(group));
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void blogRuleOnTheBlogEventPrintsExactlyOneAlert() {
        Result r = run("replay", "--no-bundled-rules", "--input", BLOG.resolve("attach_admin_policy_event.json").toString(),
                "--rules", BLOG.resolve("attach_admin_policy_rule.yaml").toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.outLines()).hasSize(1);
        assertThat(r.alerts().get(0).rule().name()).isEqualTo("Attach Administrator Policy");
        assertThat(r.out).contains("\"rule\":\"Attach Administrator Policy\"");
        assertThat(r.summary(2)).isEqualTo(1);
        assertThat(r.summary(5)).isEqualTo(1);
    }

    @Test
    void noArgumentsReplaysTheSampleEventsThroughTheBundledRules() throws Exception {
        Result r = run();
        assertThat(r.code).as(r.err).isZero();
        List<Alert> alerts = r.alerts();
        // The oracle: the engine alone over the same samples, one evaluation per eventID.
        RuleSet rules = RuleLoader.load(RuleLoader.bundledPacks(),
                LoadOptions.defaults().bundleVersion(RuleFiles.BUNDLED_VERSION)).orThrow();
        List<String> expected = new ArrayList<>();
        List<CloudTrailEvent> unique = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        EventUnwrapper unwrapper = new EventUnwrapper();
        for (String name : new String[] {"eventbridge-events.jsonl", "cloudtrail-log-file.json"}) {
            try (InputStream in = getClass().getClassLoader()
                    .getResourceAsStream(DemoCommand.SAMPLES_DIR + name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                List<String> docs = name.endsWith(".jsonl") ? Arrays.asList(text.split("\n"))
                        : List.of(text);
                for (String doc : docs) {
                    unwrapper.unwrap(doc, name, new EventSink() {
                        @Override
                        public void event(CloudTrailEvent e) {
                            if (seen.add(e.eventId())) {
                                unique.add(e);
                            }
                        }

                        @Override
                        public void deadLetter(DeadLetter d) {
                            throw new AssertionError("sample is not valid: " + d);
                        }
                    });
                }
            }
        }
        // single-event alerts and rate-rule alerts (events in time order, windows closed at the end), as the
        // bounded replay does
        unique.sort(java.util.Comparator.comparing(CloudTrailEvent::eventId));
        List<Alert> engine = FixtureRunner.alerts(rules, unique, Long.MAX_VALUE / 4, true);
        engine.forEach(a -> expected.add(a.toJson()));
        // and the incidents of those alerts (the last version of each), as the incident stage raises them
        io.trailguard.rules.incident.IncidentCorrelator.latest(new io.trailguard.rules.incident.IncidentCorrelator(
                RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).incidentPolicy(),
                new io.trailguard.rules.incident.EvidenceOf(io.trailguard.rules.incident.SubjectActor.INSTANCE,
                        io.trailguard.job.sink.aws.FindingMapper::findingId)).incidents(engine))
                .forEach(a -> expected.add(a.toJson()));
        assertThat(expected).anySatisfy(l -> assertThat(l).contains("\"rule\":\"Attack Sequence by One Principal\""));
        assertThat(r.outLines()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(alerts.stream().map(x -> x.rule().name()).distinct().count()).as("rules the samples exercise")
                .isGreaterThanOrEqualTo(6);
        assertThat(r.summary(3)).isZero();
        assertThat(r.summary(4)).isEqualTo(1);
        assertThat(r.err).doesNotContain("Exception");
    }

    @Test
    void repeatedEventsInAReplayAlertOnce(@TempDir Path dir) throws Exception {
        String event = Files.readString(BLOG.resolve("attach_admin_policy_event.json")).replaceAll("\\s*\n\\s*", " ");
        Files.writeString(dir.resolve("twice.jsonl"), event + "\n" + event + "\n");
        Result r = run("replay", "--no-bundled-rules", "--input", dir.toString(), "--rules",
                BLOG.resolve("attach_admin_policy_rule.yaml").toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.outLines()).hasSize(1);
        assertThat(r.summary(2)).isEqualTo(2);
        assertThat(r.summary(4)).isEqualTo(1);
    }

    @Test
    void matchingModeAllOrFirst(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("two.yaml");
        Files.writeString(rules, String.join("\n",
                "- rule: Any Attach", "  desc: a", "  condition: ct.name = \"AttachUserPolicy\"", "  output: one",
                "  priority: INFO", "  source: aws_cloudtrail",
                "- rule: Admin Attach", "  desc: b",
                "  condition: json.value[/requestParameters/policyArn] = \"arn:aws:iam::aws:policy/AdministratorAccess\"",
                "  output: two", "  priority: WARNING", "  source: aws_cloudtrail", ""));
        String input = BLOG.resolve("attach_admin_policy_event.json").toString();
        Result all = run("replay", "--no-bundled-rules", "--input", input, "--rules", rules.toString());
        Result first = run("replay", "--no-bundled-rules", "--input", input, "--rules", rules.toString(), "--matching", "first");
        assertThat(all.code).as(all.err).isZero();
        assertThat(all.alerts().stream().map(x -> x.rule().name())).containsExactlyInAnyOrder("Any Attach", "Admin Attach");
        assertThat(first.alerts().stream().map(x -> x.rule().name())).containsExactly("Any Attach");
        assertThat(run("replay", "--input", input, "--matching", "some").code).isEqualTo(2);
    }

    @Test
    void invalidRulesStopAReplayWithTheirPositions(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, TestRules.BROKEN_RULE);
        Result r = run("replay", "--no-bundled-rules", "--input", BLOG.resolve("attach_admin_policy_event.json").toString(),
                "--rules", broken.toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err).containsPattern(Pattern.quote(broken.toString()) + ":3:\\d+: ");
    }

    @Test
    void missingInputIsAUsageError() {
        Result r = run("replay", "--input", "no/such/dir");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).contains("input path does not exist: no/such/dir");
        assertThat(run("replay").code).isEqualTo(2);
        assertThat(run("frobnicate").code).isEqualTo(2);
    }

    @Test
    void validateReportsErrorsWithPositionsAndAcceptsWarnings(@TempDir Path dir) throws Exception {
        Path good = Files.createDirectories(dir.resolve("good"));
        Files.writeString(good.resolve("a.yaml"), TestRules.ACCESS_KEY_RULE);
        Files.copy(BLOG.resolve("attach_admin_policy_rule.yaml"), good.resolve("b.yml"));
        Result ok = run("validate", "--no-bundled-rules", "--rules", good.toString());
        assertThat(ok.code).as(ok.err).isZero();
        assertThat(ok.out).isEqualTo("ok: 2 rules in 2 file(s)\n");
        assertThat(ok.err).isEmpty();

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, TestRules.BROKEN_RULE);
        Result bad = run("validate", "--rules", broken.toString());
        assertThat(bad.code).isEqualTo(1);
        assertThat(bad.err.split("\n")[0]).matches(Pattern.quote(broken.toString()) + ":3:\\d+: .+");

        Path warned = dir.resolve("warned.yaml");
        Files.writeString(warned, "- macro: unused\n  condition: ct.name = \"x\"\n" + TestRules.ACCESS_KEY_RULE);
        Result warning = run("validate", "--rules", warned.toString());
        assertThat(warning.code).as(warning.err).isZero();
        assertThat(warning.err).containsPattern(Pattern.quote(warned.toString()) + ":\\d+:\\d+: warning: ");

        assertThat(run("validate").code).isEqualTo(2);
        assertThat(run("validate", "--rules", dir.resolve("none.yaml").toString()).code).isEqualTo(2);
    }

    @Test
    void runRejectsBadConfigurationBeforeStarting() {
        Result noStream = run("run", "--aws-region", "us-east-1");
        assertThat(noStream.code).isEqualTo(2);
        assertThat(noStream.err).contains("no events stream");
        Result badOutput = run("run", "--events-stream", "events", "--aws-region", "us-east-1",
                "--output", "pagerduty");
        assertThat(badOutput.code).isEqualTo(2);
        assertThat(badOutput.err).contains("unknown output 'pagerduty'");
        Result noGroup = run("run", "--events-stream", "events", "--aws-region", "us-east-1",
                "--output", "cloudwatch:");
        assertThat(noGroup.code).isEqualTo(2);
        assertThat(noGroup.err).contains("needs a log group");
        Result badFlush = run("run", "--events-stream", "events", "--aws-region", "us-east-1",
                "--output", "securityhub", "--set", "securityhub.flush=soon");
        assertThat(badFlush.code).isEqualTo(2);
        assertThat(badFlush.err).contains("securityhub.flush");
        Result unknownKey = run("run", "--events-stream", "events", "--set", "no.such=1");
        assertThat(unknownKey.code).isEqualTo(2);
        assertThat(unknownKey.err).contains("unknown configuration key 'no.such'");
        Result freshAndRestore = run("run", "--events-stream", "events", "--aws-region", "us-east-1", "--fresh",
                "--set", "checkpoint.restore=/tmp/chk-1");
        assertThat(freshAndRestore.code).isEqualTo(2);
        assertThat(freshAndRestore.err).contains("exclude each other");
        Result freshWithValue = run("run", "--events-stream", "events", "--aws-region", "us-east-1", "--fresh", "yes");
        assertThat(freshWithValue.code).isEqualTo(2);
        assertThat(freshWithValue.err).contains("Unmatched argument", "'yes'");
        Result noneRetained = run("run", "--events-stream", "events", "--aws-region", "us-east-1",
                "--set", "checkpoint.retained=0");
        assertThat(noneRetained.code).isEqualTo(2);
        assertThat(noneRetained.err).contains("checkpoint.retained must be a positive integer");
    }

    @Test
    void everyCorpusFileReplaysWithMalformedInputDeadLettered() throws Exception {
        Path root = null;
        for (Path p : new Path[] {Paths.get("..", "..", "shared", "corpora"), Paths.get("..", "shared", "corpora")}) {
            if (Files.isRegularFile(p.resolve("MANIFEST.md"))) {
                root = p;
            }
        }
        Assumptions.assumeTrue(root != null, "shared corpora not present");
        Path library = root.resolve("aws-cloudtrail-processing-library");
        List<Path> inputs = Arrays.asList(root, library.resolve("SQSMessageBody"),
                library.resolve("SQSMessageBodyWrongFormat"));

        // What the engine's own reader makes of the same files.
        long[] expected = new long[2];
        EventUnwrapper unwrapper = new EventUnwrapper();
        InputFiles reader = new InputFiles(unwrapper);
        for (Path f : InputFiles.list(inputs, w -> { })) {
            reader.read(f, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    expected[0]++;
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    expected[1]++;
                }
            });
        }

        List<String> args = new ArrayList<>(List.of("replay", "--input"));
        inputs.forEach(p -> args.add(p.toString()));
        Result r = run(args.toArray(new String[0]));
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.summary(2)).isEqualTo(expected[0]);
        assertThat(r.summary(3)).isEqualTo(expected[1]).isGreaterThan(0);
        assertThat(r.alerts()).hasSize((int) r.summary(5));
        long deadLines = Arrays.stream(r.err.split("\n")).filter(l -> l.startsWith("{\"type\":\"dead_letter\""))
                .count();
        assertThat(deadLines).isEqualTo(expected[1]);
    }
}
