package io.trailguard.job.cli;

import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.kinesis.ControlStreamBootstrap;
import io.trailguard.job.kinesis.KinesisLocal;
import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;

import static io.trailguard.job.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code publish} and {@code run} refuse rules without an enabled rule (an empty folder, a wrong path, every rule
 * disabled) before anything is sent or started; {@code publish --allow-empty} sends a bundle the start-up scan takes
 * as intentionally empty. The refusals need no Kinesis (the endpoint is unreachable on purpose: they must fail before
 * contacting it); the publish of an empty bundle uses kinesis-local.
 */
class PublishEmptyRulesTest {
    static final String DISABLED = String.join("\n",
            "- rule: Switched Off", "  desc: d", "  condition: ct.name = \"CreateUser\"", "  output: o",
            "  priority: INFO", "  source: aws_cloudtrail", "  enabled: false", "");
    static final String NOWHERE = "http://localhost:1";

    @Test
    void publishOfAFolderWithoutRuleFilesIsRefused(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("README.txt"), "not rules".getBytes());
        CliTest.Result r = run("publish", "--rules", dir.toString(), "--stream", "control", "--aws-endpoint", NOWHERE);
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err).contains("publish: no rule files (.yaml, .yml) in " + dir,
                "a bundle without rules would disable detection", "publish --allow-empty");
        assertThat(r.out).isEmpty();
    }

    @Test
    void publishOfAWrongPathIsRefused(@TempDir Path dir) {
        CliTest.Result r = run("publish", "--rules", dir.resolve("rulez").toString(), "--stream", "control",
                "--aws-endpoint", NOWHERE);
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err).contains("publish: rules path does not exist: " + dir.resolve("rulez"));
        assertThat(r.out).isEmpty();
    }

    @Test
    void publishOfRulesThatAreAllDisabledIsRefused(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("off.yaml"), DISABLED.getBytes());
        CliTest.Result r = run("publish", "--no-bundled-rules", "--rules", dir.toString(), "--stream", "control",
                "--aws-endpoint", NOWHERE, "--version", "v1");
        assertThat(r.code).as(r.err).isEqualTo(1);
        assertThat(r.err).contains("publish: bundle v1 has no enabled rules: the files given were "
                + dir.resolve("off.yaml") + "; use publish --allow-empty to disable detection on purpose",
                "publish: nothing published");
        assertThat(r.out).isEmpty();
    }

    @Test
    void allowEmptyWithEnabledRulesIsRefused(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("on.yaml"), DISABLED.replace("  enabled: false\n", "").getBytes());
        CliTest.Result r = run("publish", "--allow-empty", "--rules", dir.toString(), "--stream", "control",
                "--aws-endpoint", NOWHERE, "--version", "v2");
        assertThat(r.code).as(r.err).isEqualTo(1);
        assertThat(r.err).contains("bundle v2 is marked intentionally empty but has 1 enabled rules");
    }

    @Test
    void runWithStartUpRulesThatAreAllDisabledIsRefused(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("off.yaml"), DISABLED.getBytes());
        CliTest.Result r = run("run", "--events-stream", "events", "--aws-endpoint", NOWHERE, "--no-bundled-rules",
                "--rules", dir.toString());
        assertThat(r.code).as(r.err).isEqualTo(1);
        assertThat(r.err).contains("run: bundle local has no enabled rules: the files given were "
                + dir.resolve("off.yaml"));
    }

    @Test
    void allowEmptyPublishesABundleTheJobTakesAsIntentionallyEmpty() throws Exception {
        try (KinesisLocal k = KinesisLocal.start("control:1", Collections.singletonList("control"))) {
            CliTest.Result r = run("publish", "--allow-empty", "--stream", "control", "--aws-endpoint", k.endpoint(),
                    "--version", "off-1");
            assertThat(r.code).as(r.err).isZero();
            assertThat(r.out).contains("published version=off-1", "rules=0", "files=0", "intentionally-empty");
            assertThat(r.err).contains("publish: WARNING: DETECTION IS DISABLED: bundle off-1 is intentionally empty");

            ControlStreamBootstrap.Result scan = ControlStreamBootstrap.newestValidBundle(k.client(), "control",
                    new ActiveRules(TestRules.bundled(), MatchingMode.ALL, BundleVerifier.none()),
                    Duration.ofSeconds(20));
            assertThat(scan.bundle).isNotNull();
            assertThat(scan.bundle.version()).isEqualTo("off-1");
            assertThat(scan.bundle.isIntentionallyEmpty()).isTrue();
        }
    }
}
