package io.trailguard.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.s3.LocalS3Sqs;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.sink.ocsf.DetectionFindingSchemaTest;
import io.trailguard.job.sink.ocsf.OcsfSchema;
import io.trailguard.job.sink.ocsf.lake.LakePartition;
import io.trailguard.job.sink.ocsf.lake.ParquetFindings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --output ocsf:s3://BUCKET/PREFIX} on the command line, against a real S3 server (S3Proxy): a replay of the
 * invictus-ir hour (a MiniCluster job; its end of input is the commit) publishes Parquet objects under
 * {@code PREFIX/region=R/accountId=A/eventDay=YYYYMMDD/}, each finding in the partition of its own region, account
 * and day; together they hold exactly the findings of the {@code ocsf:PATH} output of the same replay (every
 * version once), each valid against the vendored OCSF schema; no staging object is left.
 */
class SecurityLakeOutputTest {
    /** The bucket of the command job/OUTPUTS.md shows. */
    private static final String BUCKET = "aws-security-data-lake-us-east-1-example";
    private static final Pattern KEY = Pattern.compile("ext/trailguard/region=([a-z0-9-]+)/accountId=(\\d{12})/"
            + "eventDay=(\\d{8})/trailguard-[0-9a-f]{32}-\\d+-\\d+\\.parquet");

    @Test
    void aReplayPublishesEveryFindingOnceInItsPartition(@TempDir Path dir) throws Exception {
        Path lines = dir.resolve("findings.ocsf.jsonl");
        try (LocalS3Sqs aws = LocalS3Sqs.start(); S3Client s3 = aws.s3()) {
            s3.createBucket(r -> r.bucket(BUCKET));
            CliTest.Result r = CliTest.run("replay", "--input", "../rules/fixtures/data/invictus",
                    "--output", "ocsf:s3://" + BUCKET + "/ext/trailguard", "--output", "ocsf:" + lines,
                    "--set", "s3.endpoint=" + aws.s3Endpoint());
            assertThat(r.code).as(r.err).isZero();

            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                    .map(S3Object::key).collect(Collectors.toList());
            assertThat(keys).isNotEmpty().allMatch(k -> KEY.matcher(k).matches());
            OcsfSchema schema = OcsfSchema.load(DetectionFindingSchemaTest.SCHEMA);
            List<String> published = new ArrayList<>();
            Set<String> versions = new HashSet<>();
            for (String key : keys) {
                Path file = dir.resolve("object.parquet");
                Files.deleteIfExists(file);
                s3.getObject(b -> b.bucket(BUCKET).key(key), file);
                Matcher m = KEY.matcher(key);
                assertThat(m.matches()).isTrue();
                for (ObjectNode f : ParquetFindings.read(file).findings) {
                    assertThat(schema.validate(f, DetectionFindingSchemaTest.CLASS)).as(key + ": " + f).isEmpty();
                    assertThat(f.path("class_uid").asInt()).isEqualTo(2004);
                    assertThat(LakePartition.of(f).path()).as(key)
                            .isEqualTo("region=" + m.group(1) + "/accountId=" + m.group(2) + "/eventDay=" + m.group(3));
                    published.add(f.path("finding_info").path("uid").asText());
                    assertThat(versions.add(f.path("metadata").path("uid").asText())).as("written once").isTrue();
                }
            }
            List<String> expected = new ArrayList<>();
            for (String line : Files.readAllLines(lines)) {
                JsonNode f = JobJson.mapper().readTree(line);
                expected.add(f.path("finding_info").path("uid").asText());
            }
            assertThat(expected).hasSizeGreaterThan(50);
            assertThat(published).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /**
     * The lake.* settings reach the sink: pages in the configured compression, files staged in the configured
     * staging bucket (empty afterwards); a staging location inside the output is refused before the job starts.
     */
    @Test
    void theLakeSettingsApplyAndAStagingLocationInsideTheOutputIsRefused(@TempDir Path dir) throws Exception {
        try (LocalS3Sqs aws = LocalS3Sqs.start(); S3Client s3 = aws.s3()) {
            s3.createBucket(r -> r.bucket(BUCKET));
            s3.createBucket(r -> r.bucket("trailguard-staging-example"));
            CliTest.Result r = CliTest.run("replay", "--input", "../rules/fixtures/data/invictus",
                    "--output", "ocsf:s3://" + BUCKET + "/ext/trailguard",
                    "--set", "s3.endpoint=" + aws.s3Endpoint(), "--set", "lake.compression=SNAPPY",
                    "--set", "lake.row_group_size=64kb", "--set", "lake.staging=s3://trailguard-staging-example/tg");
            assertThat(r.code).as(r.err).isZero();
            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                    .map(S3Object::key).collect(Collectors.toList());
            assertThat(keys).isNotEmpty().allMatch(k -> KEY.matcher(k).matches());
            for (String key : keys) {
                Path file = dir.resolve("object.parquet");
                Files.deleteIfExists(file);
                s3.getObject(b -> b.bucket(BUCKET).key(key), file);
                assertThat(ParquetFindings.read(file).codecs).as(key)
                        .containsExactly(org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY);
            }
            assertThat(s3.listObjectsV2(b -> b.bucket("trailguard-staging-example")).contents())
                    .as("every staged file was committed").isEmpty();

            CliTest.Result inside = CliTest.run("replay", "--input", "../rules/fixtures/data/invictus",
                    "--output", "ocsf:s3://" + BUCKET + "/ext/trailguard", "--set", "s3.endpoint=" + aws.s3Endpoint(),
                    "--set", "lake.staging=s3://" + BUCKET + "/ext/trailguard/_staging");
            assertThat(inside.code).isNotZero();
            assertThat(inside.err).contains("inside the output location");
        }
    }
}
