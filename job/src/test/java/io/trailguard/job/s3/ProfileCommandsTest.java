package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.cli.Main;
import io.trailguard.job.sink.aws.FakeAwsEndpoint;
import io.trailguard.job.testing.ProfileFiles;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --profile} end to end, against a local S3 server that accepts only one access key (S3Proxy checking every
 * request's signature): {@code replay s3://...} with the right profile lists and reads the trail and its Security
 * Hub output (a local endpoint that records the signing key) signs with the same profile; the wrong profile, and no
 * profile, are refused by the server; a profile in neither file is a usage error naming it, for every command that
 * talks to AWS.
 */
class ProfileCommandsTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String BUCKET = "profile-trail";
    private static final List<String> EVENT_IDS = Arrays.asList("profile-event-1", "profile-event-2");

    @TempDir
    static Path dir;
    private static ProfileFiles profiles;
    private static LocalS3Sqs servers;
    private static String rules;

    @BeforeAll
    static void start() throws Exception {
        profiles = ProfileFiles.write(dir);
        servers = LocalS3Sqs.startRequiring(ProfileFiles.GOOD_KEY, ProfileFiles.GOOD_SECRET);
        try (S3Client s3 = AwsClients.s3(AwsConnection.of("us-east-1", servers.s3Endpoint())
                .withProfile(ProfileFiles.GOOD))) {
            s3.createBucket(r -> r.bucket(BUCKET));
            List<ObjectNode> records = new ArrayList<>();
            for (String id : EVENT_IDS) {
                records.add(TestEvents.record("iam.amazonaws.com", "CreateUser", id, "2026-01-31T10:00:00Z"));
            }
            TrailFiles.put(s3, BUCKET, TrailFiles.key("111122223333", "us-east-1", "2026-01-31", "a"),
                    TrailFiles.gzipLog(records));
        }
        Path r = dir.resolve("rules.yaml");
        Files.write(r, TestRules.BASE_RULES.getBytes(StandardCharsets.UTF_8));
        rules = r.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (servers != null) {
                servers.close();
            }
        } finally {
            profiles.close();
        }
    }

    private static final class Run {
        final int code;
        final String out;
        final String err;

        Run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            this.out = out.toString(StandardCharsets.UTF_8);
            this.err = err.toString(StandardCharsets.UTF_8);
        }
    }

    private static Run replay(String... extra) {
        List<String> args = new ArrayList<>(Arrays.asList("replay", "--input", "s3://" + BUCKET, "--no-bundled-rules",
                "--rules", rules, "--region", "us-east-1", "--set", "s3.endpoint=" + servers.s3Endpoint()));
        args.addAll(Arrays.asList(extra));
        return new Run(args.toArray(new String[0]));
    }

    @Test
    void theRightProfileReadsTheTrailAndSignsTheOutputs() throws Exception {
        try (FakeAwsEndpoint securityHub = new FakeAwsEndpoint()) {
            Run r = replay("--profile", ProfileFiles.GOOD, "--endpoint-url", securityHub.endpoint(),
                    "--output", "securityhub");
            assertThat(r.code).as(r.err).isZero();
            assertThat(r.err).contains("replay: 1 CloudTrail files under s3://" + BUCKET);
            assertThat(securityHub.findings()).hasSize(EVENT_IDS.size());
            assertThat(securityHub.findings().values()).allSatisfy(f ->
                    assertThat(EVENT_IDS).anySatisfy(id -> assertThat(f.toString()).contains(id)));
            assertThat(securityHub.accessKeys()).containsExactly(ProfileFiles.GOOD_KEY);
            assertThat(securityHub.violations()).isEmpty();
        }
    }

    @Test
    void theWrongProfileOrNoneIsRefusedByTheServer() {
        Run wrong = replay("--profile", ProfileFiles.WRONG);
        assertThat(wrong.code).as(wrong.err).isEqualTo(2);
        assertThat(wrong.err).contains("replay: cannot list s3://" + BUCKET).contains("403");
        Run none = replay();
        assertThat(none.code).as(none.err).isEqualTo(2);
        assertThat(none.err).contains("replay: cannot list s3://" + BUCKET).contains("403");
    }

    @Test
    void aMissingProfileIsAUsageErrorNamingIt() {
        String endpoint = "--endpoint-url=http://127.0.0.1:9";
        List<String[]> commands = Arrays.asList(
                new String[] {"replay", "--input", "s3://" + BUCKET, "--set", "s3.endpoint=" + servers.s3Endpoint()},
                new String[] {"send", "--stream", "events", "--input", rules, endpoint},
                new String[] {"publish", "--stream", "control", endpoint},
                new String[] {"run", "--events-stream", "events", endpoint});
        for (String[] command : commands) {
            List<String> args = new ArrayList<>(Arrays.asList(command));
            args.addAll(Arrays.asList("--profile", "no-such-profile"));
            Run r = new Run(args.toArray(new String[0]));
            assertThat(r.code).as(String.join(" ", command) + ": " + r.err).isEqualTo(2);
            assertThat(r.err).as(command[0]).contains("AWS profile 'no-such-profile' is not in the AWS config file");
        }
    }
}
