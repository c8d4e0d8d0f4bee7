package io.trailguard.job.cli;

import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.kinesis.ControlStreamBootstrap;
import io.trailguard.job.kinesis.KinesisLocal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RuleSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static io.trailguard.job.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tuning file on top of the bundled packs, as a user writes one: it appends an ARN to the bundled list
 * {@code admin_policy_arns}, overrides the priority of the bundled rule "Root Account Activity" and appends an
 * exception to the bundled rule "IAM Policy Changes". {@code replay}, {@code test}, {@code validate} and
 * {@code publish} all load it after the packs, so each change takes effect; without the packs (the old meaning of
 * {@code --rules}) it does not load at all.
 */
class TuningFileTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final String TUNING = String.join("\n",
            "- list: admin_policy_arns",
            "  items: [\"arn:aws:iam::aws:policy/PowerUserAccess\"]",
            "  override:",
            "    items: append",
            "",
            "- rule: Root Account Activity",
            "  priority: CRITICAL",
            "  override:",
            "    priority: replace",
            "",
            "- rule: IAM Policy Changes",
            "  exceptions:",
            "    - name: console_sessions",
            "      fields: [ct.useragent]",
            "      values: [[console.amazonaws.com]]",
            "  override:",
            "    exceptions: append",
            "");

    static final String ADMIN = "IAM Administrator Policy Attached to User";

    /** The blog's AttachUserPolicy event (AdministratorAccess) and the same call attaching PowerUserAccess. */
    static Path events(Path dir) throws Exception {
        String admin = Files.readString(CliTest.BLOG.resolve("attach_admin_policy_event.json"))
                .replaceAll("\\s*\n\\s*", " ");
        String iamFull = admin.replace("policy/AdministratorAccess", "policy/PowerUserAccess")
                .replaceFirst("\"eventID\"\\s*:\\s*\"[^\"]+\"", "\"eventID\": \"11111111-2222-4333-8444-555555555555\"");
        assertThat(iamFull).contains("PowerUserAccess").contains("11111111-2222");
        Path f = dir.resolve("events.jsonl");
        Files.writeString(f, admin + "\n" + iamFull + "\n");
        return f;
    }

    static Path tuning(Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("tuning"));
        Files.writeString(rules.resolve("ci.yaml"), TUNING);
        return rules.resolve("ci.yaml");
    }

    @Test
    void replayAppliesTheListAppendTheOverrideAndTheException(@TempDir Path dir) throws Exception {
        Path events = events(dir);
        CliTest.Result before = run("replay", "--input", events.toString());
        assertThat(before.code).as(before.err).isZero();
        List<String> rulesBefore = before.alerts().stream().map(a -> a.rule().name()).collect(Collectors.toList());
        assertThat(rulesBefore).filteredOn(ADMIN::equals).hasSize(1);
        assertThat(rulesBefore).contains("IAM Policy Changes");
        assertThat(before.alerts()).filteredOn(a -> a.rule().name().equals("Root Account Activity"))
                .allSatisfy(a -> assertThat(a.rule().priority().display()).isNotEqualToIgnoringCase("Critical")).isNotEmpty();

        CliTest.Result after = run("replay", "--input", events.toString(), "--rules", tuning(dir).toString());
        assertThat(after.code).as(after.err).isZero();
        List<String> rulesAfter = after.alerts().stream().map(a -> a.rule().name()).collect(Collectors.toList());
        assertThat(rulesAfter).as("the appended ARN").filteredOn(ADMIN::equals).hasSize(2);
        assertThat(rulesAfter).as("the appended exception").doesNotContain("IAM Policy Changes");
        assertThat(after.alerts()).filteredOn(a -> a.rule().name().equals("Root Account Activity")).isNotEmpty()
                .allSatisfy(a -> assertThat(a.rule().priority().display()).isEqualToIgnoringCase("Critical"));

        // The same events from stdin (docs/cli.md's pipe example).
        Stdin.use(Files.newInputStream(events));
        CliTest.Result piped;
        try {
            piped = run("replay", "--input", "-", "--rules", tuning(dir).toString());
        } finally {
            Stdin.use(System.in);
        }
        assertThat(piped.code).as(piped.err).isZero();
        assertThat(piped.alerts().stream().map(Alert::toJson).sorted().collect(Collectors.toList()))
                .isEqualTo(after.alerts().stream().map(Alert::toJson).sorted().collect(Collectors.toList()));

        // Without the bundled packs the tuning file has nothing to append to: an error naming it.
        CliTest.Result alone = run("replay", "--input", events.toString(), "--no-bundled-rules", "--rules",
                tuning(dir).toString());
        assertThat(alone.code).isEqualTo(1);
        assertThat(alone.err).contains(tuning(dir).toString());
        assertThat(alone.out).isEmpty();
    }

    @Test
    void validateAndTestLoadTheTuningFileAfterThePacks(@TempDir Path dir) throws Exception {
        Path file = tuning(dir);
        CliTest.Result ok = run("validate", "--rules", file.toString());
        assertThat(ok.code).as(ok.err).isZero();
        assertThat(ok.out).startsWith("ok: ").contains("after the bundled packs");

        String admin = Files.readString(CliTest.BLOG.resolve("attach_admin_policy_event.json"))
                .replaceAll("\\s*\n\\s*", " ");
        Files.writeString(file.getParent().resolve("ci.fixtures.yaml"), String.join("\n",
                "- rule: " + ADMIN, "  description: the appended ARN counts as admin", "  events:",
                "  - " + admin.replace("policy/AdministratorAccess", "policy/PowerUserAccess"), "  expect: 1",
                "- rule: IAM Policy Changes", "  description: console sessions are an exception now", "  events:",
                "  - " + admin, "  expect: 0", ""));
        CliTest.Result test = run("test", "--rules", file.getParent().toString());
        assertThat(test.code).as(test.out + test.err).isZero();
        assertThat(test.out).contains("2 passed, 0 failed");
    }

    @Test
    void publishSendsThePacksPlusTheTuningFile(@TempDir Path dir) throws Exception {
        Path file = tuning(dir);
        try (KinesisLocal k = KinesisLocal.start("control:1", Collections.singletonList("control"))) {
            CliTest.Result r = run("publish", "--rules", file.toString(), "--stream", "control", "--endpoint-url",
                    k.endpoint(), "--bundle-version", "tuned-1", "--disable-rule", "Unauthorized API Calls");
            assertThat(r.code).as(r.err).isZero();
            assertThat(r.out).contains("published version=tuned-1");
            ControlStreamBootstrap.Result scan = ControlStreamBootstrap.newestValidBundle(k.client(), "control",
                    new ActiveRules(TestRules.bundled(), MatchingMode.ALL, BundleVerifier.none()),
                    Duration.ofSeconds(20));
            assertThat(scan.bundle.version()).isEqualTo("tuned-1");
            RuleSet rules = CompiledBundle.compile(scan.bundle, MatchingMode.ALL).ruleSet();
            assertThat(rules.rule("Root Account Activity").priority()).isEqualTo(Priority.CRITICAL);
            assertThat(rules.rule(ADMIN)).isNotNull();
            assertThat(rules.ruleNames()).as("turned off in the bundle itself").doesNotContain("Unauthorized API Calls")
                    .hasSizeGreaterThan(50);
        }
    }
}
