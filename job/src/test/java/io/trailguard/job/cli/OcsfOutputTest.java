package io.trailguard.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.job.sink.ocsf.DetectionFindingSchemaTest;
import io.trailguard.job.sink.ocsf.OcsfSchema;
import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --output ocsf:PATH} on the command line: a replay of the invictus-ir hour (a MiniCluster job) writes one
 * OCSF Detection Finding per alert version, each valid against the vendored schema, with the finding id of an
 * alert the {@code file:} output lists (which lists an incident once, in its last version); the incident's versions
 * are one finding, created and then updated.
 */
class OcsfOutputTest {
    @Test
    void aReplayWritesOneValidFindingPerAlert(@TempDir Path dir) throws Exception {
        Path ocsf = dir.resolve("findings.ocsf.jsonl");
        Path alerts = dir.resolve("alerts.jsonl");
        CliTest.Result r = CliTest.run("replay", "--input", "../rules/fixtures/data/invictus",
                "--output", "ocsf:" + ocsf, "--output", "file:" + alerts);
        assertThat(r.code).as(r.err).isZero();
        List<Alert> written = Files.readAllLines(alerts).stream().filter(l -> !l.contains("\"type\":\"rule_status\""))
                .map(Alert::fromJson).collect(Collectors.toList());
        List<String> lines = Files.readAllLines(ocsf);
        assertThat(written).hasSizeGreaterThan(50);
        assertThat(lines.size()).as("every version of the incident").isGreaterThan(written.size());

        OcsfSchema schema = OcsfSchema.load(DetectionFindingSchemaTest.SCHEMA);
        List<String> expectedIds = new ArrayList<>();
        written.forEach(a -> expectedIds.add(FindingMapper.findingId(a)));
        List<String> ids = new ArrayList<>();
        Set<String> incidentActivities = new HashSet<>();
        for (String line : lines) {
            JsonNode f = JobJson.mapper().readTree(line);
            assertThat(schema.validate(f, DetectionFindingSchemaTest.CLASS)).as(line).isEmpty();
            ids.add(f.path("finding_info").path("uid").asText());
            if (f.path("finding_info").has("related_events")) {
                incidentActivities.add(f.path("activity_name").asText());
            }
        }
        assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<>(expectedIds));
        assertThat(lines.size() - written.size()).as("the incident's earlier versions")
                .isEqualTo(written.stream().filter(a -> a.incident() != null).mapToInt(a -> a.incident().version() - 1)
                        .sum());
        assertThat(incidentActivities).containsExactlyInAnyOrder("Create", "Update");
    }

    @Test
    void anS3LocationThatIsNoBucketIsRefusedAtStart() {
        CliTest.Result r = CliTest.run("replay", "--input", "../rules/fixtures/data/invictus",
                "--output", "ocsf:s3://Not_A_Bucket/prefix");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("ocsf:s3://Not_A_Bucket/prefix").contains("is not an S3 bucket name");
    }
}
