package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.cli.Main;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay --input s3://...} against a local S3 server holding an organization trail's files for two accounts,
 * two regions and three days (plus digest files and other objects): the account, region and time options select the
 * files and then the records, and every selected record alerts once.
 */
class S3ReplayTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String BUCKET = "replay-trail";
    private static final String ORG = "o-aa111bb222";
    private static final List<String> ACCOUNTS = List.of("111122223333", "444455556666");
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final List<String> DAYS = List.of("2026-01-30", "2026-01-31", "2026-02-01");
    private static LocalS3Sqs aws;
    private static S3Client s3;

    @BeforeAll
    static void files() throws Exception {
        aws = LocalS3Sqs.start();
        s3 = aws.s3();
        s3.createBucket(r -> r.bucket(BUCKET));
        for (String account : ACCOUNTS) {
            for (String region : REGIONS) {
                for (String day : DAYS) {
                    List<ObjectNode> records = new ArrayList<>();
                    for (int h = 0; h < 24; h += 6) {
                        records.add(event(account, region, day + "T" + String.format("%02d", h) + ":00:00Z"));
                    }
                    if (day.equals("2026-02-01")) {
                        // delivered after midnight: filed under the next day's folder
                        records.add(event(account, region, "2026-01-31T23:58:00Z"));
                    }
                    String key = "logs/" + TrailFiles.orgKey(ORG, account, region, day, "f");
                    TrailFiles.put(s3, BUCKET, key, TrailFiles.gzipLog(records));
                    TrailFiles.put(s3, BUCKET, "logs/AWSLogs/" + ORG + "/" + account + "/CloudTrail-Digest/" + region
                            + "/" + day.replace('-', '/') + "/" + account + "_CloudTrail-Digest_" + region
                            + "_t_" + region + "_" + day.replace("-", "") + "T000000Z.json.gz",
                            "{\"not\":\"events\"}".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        TrailFiles.put(s3, BUCKET, "logs/AWSLogs/" + ORG + "/111122223333/elasticloadbalancing/x.log",
                "not cloudtrail".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    /** A CreateUser whose eventID names its account, region and time. */
    private static ObjectNode event(String account, String region, String time) {
        ObjectNode r = TestEvents.record("iam.amazonaws.com", "CreateUser", account + "/" + region + "/" + time, time);
        r.put("recipientAccountId", account);
        r.put("awsRegion", region);
        return r;
    }

    private static final class Run {
        final int code;
        final List<JsonNode> alerts = new ArrayList<>();
        final String err;

        Run(String... args) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    alerts.add(JobJson.mapper().readTree(line));
                }
            }
            this.err = err.toString(StandardCharsets.UTF_8);
        }

        Set<String> ids() {
            Set<String> s = new HashSet<>();
            for (JsonNode a : alerts) {
                s.add(a.get("event_id").asText());
            }
            return s;
        }
    }

    private static String rules(Path dir) throws IOException {
        Path rules = dir.resolve("rules.yaml");
        Files.write(rules, TestRules.BASE_RULES.getBytes(StandardCharsets.UTF_8));
        return rules.toString();
    }

    @Test
    void accountsRegionsAndTimeWindowSelectFilesThenRecords(@TempDir Path dir) throws Exception {
        Run r = new Run("replay", "--input", "s3://" + BUCKET + "/logs", "--since", "2026-01-31T00:00:00Z",
                "--until", "2026-02-01", "--accounts", "444455556666", "--regions", "eu-west-1",
                "--no-bundled-rules", "--rules", rules(dir), "--aws-region", "us-east-1", "--set", "s3.endpoint=" + aws.s3Endpoint());
        assertThat(r.code).as(r.err).isZero();
        String p = "444455556666/eu-west-1/";
        assertThat(r.ids()).containsExactlyInAnyOrder(p + "2026-01-31T00:00:00Z", p + "2026-01-31T06:00:00Z",
                p + "2026-01-31T12:00:00Z", p + "2026-01-31T18:00:00Z", p + "2026-01-31T23:58:00Z");
        assertThat(r.alerts).hasSize(5);
        // the date folders of the window and the day after, of one account and region
        assertThat(r.err).contains("replay: 2 CloudTrail files under s3://" + BUCKET + "/logs");
        assertThat(r.err).contains("replay: 2 files, ");
    }

    @Test
    void withoutOptionsEveryFileOfEveryAccountAndRegion(@TempDir Path dir) throws Exception {
        Run r = new Run("replay", "--input", "s3://" + BUCKET, "--no-bundled-rules", "--rules", rules(dir), "--aws-region", "us-east-1",
                "--set", "s3.endpoint=" + aws.s3Endpoint());
        assertThat(r.code).as(r.err).isZero();
        int files = ACCOUNTS.size() * REGIONS.size() * DAYS.size();
        assertThat(r.alerts).hasSize(files * 4 + ACCOUNTS.size() * REGIONS.size());
        assertThat(r.ids()).hasSize(r.alerts.size());
        assertThat(r.err).contains("replay: " + files + " CloudTrail files").contains("0 dead-lettered");
    }

    @Test
    void windowAndFilterOptionsNeedS3Inputs(@TempDir Path dir) throws Exception {
        Run r = new Run("replay", "--input", dir.toString(), "--since", "2h");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("--since applies to s3:// inputs");
        Run bad = new Run("replay", "--input", "s3://" + BUCKET, "--since", "yesterday-ish",
                "--set", "s3.endpoint=" + aws.s3Endpoint());
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err).contains("neither a time");
    }
}
