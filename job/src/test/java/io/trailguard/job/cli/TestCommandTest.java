package io.trailguard.job.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code trailguard test}: the bundled fixtures pass; a user's rules with fixtures beside them pass or fail. */
class TestCommandTest {
    static final String RULE = "- rule: Trail Deleted\n  desc: d\n  condition: ct.name = DeleteTrail and not ct.error exists\n"
            + "  output: trail %ct.request.name deleted by %ct.user.arn\n  priority: CRITICAL\n  source: aws_cloudtrail\n";
    static final String EVENT = "{\"eventName\": \"DeleteTrail\", \"eventSource\": \"cloudtrail.amazonaws.com\", "
            + "\"eventTime\": \"2023-07-10T11:42:05Z\", \"eventID\": \"e1\", \"requestParameters\": {\"name\": \"main\"}}";

    @Test
    void bundledPacksPassTheirFixtures() {
        CliTest.Result r = CliTest.run("test", "--failures-only");
        assertThat(r.code).as(r.out + r.err).isZero();
        assertThat(r.out).containsPattern("\\d+ case\\(s\\) in \\d+ fixture file\\(s\\): \\d+ passed, 0 failed");
    }

    @Test
    void userRulesAndFixturesBesideThem(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("rules.yaml"), RULE.getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("rules.fixtures.yaml"), ("- rule: Trail Deleted\n  description: deleted\n  events:\n  - "
                + EVENT + "\n  expect: 1\n- rule: Trail Deleted\n  description: failed attempt\n  events:\n  - "
                + EVENT.replace("}}", "}, \"errorCode\": \"AccessDenied\"}") + "\n  expect: 0\n")
                .getBytes(StandardCharsets.UTF_8));
        CliTest.Result ok = CliTest.run("test", "--rules", dir.toString());
        assertThat(ok.code).as(ok.out + ok.err).isZero();
        assertThat(ok.out).contains("PASS").contains("2 passed, 0 failed");
        // the same fixture against a rule that does not fire: a FAIL row and exit 1
        Files.write(dir.resolve("rules.yaml"), RULE.replace("DeleteTrail", "StopLogging").getBytes(StandardCharsets.UTF_8));
        CliTest.Result bad = CliTest.run("test", "--rules", dir.toString());
        assertThat(bad.code).isEqualTo(1);
        assertThat(bad.out).contains("FAIL").contains("1 passed, 1 failed");
        // replay and validate leave fixture files out of the rules
        assertThat(CliTest.run("validate", "--rules", dir.toString()).code).isZero();
    }
}
