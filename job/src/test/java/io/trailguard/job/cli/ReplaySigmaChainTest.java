package io.trailguard.job.cli;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Sigma correlation chained on a correlation and a plain rule, through the staged rate-rule operators of the
 * Flink pipeline: rules/SIGMA.md's example "console brute force followed by a successful login" on six failed
 * logins and a success from one address within ten minutes.
 */
class ReplaySigmaChainTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final Path DIR = Paths.get("src", "test", "resources", "sigma");
    /** rules/SIGMA.md's correlation example, as the rules module's tests keep it. */
    static final Path EXAMPLE = Paths.get("..", "rules", "src", "test", "resources", "sigma", "examples",
            "brute_force_then_success.yml");

    @Test
    void theSigmaMdExampleAlertsOnceWithTheSuccessAsLastEvent() {
        CliTest.Result r = CliTest.run("replay", "--input", DIR.resolve("brute-force-then-login.json").toString(),
                "--no-bundled-rules", "--rules", EXAMPLE.toString());
        assertThat(r.code).as(r.err).isZero();
        List<Alert> alerts = r.alerts();
        assertThat(alerts).extracting(a -> a.rule().name())
                .containsExactly("Console brute force followed by a successful login");
        Alert a = alerts.get(0);
        assertThat(a.rule().priority().display()).isEqualTo("Critical");
        assertThat(a.event().id()).isEqualTo("login-6");
        assertThat(a.outputFields()).containsEntry("sourceIPAddress", "203.0.113.7");
    }

    @Test
    void aSuccessBeforeTheBruteForceDoesNotAlert() {
        CliTest.Result r = CliTest.run("replay", "--input", DIR.resolve("login-then-brute-force.json").toString(),
                "--no-bundled-rules", "--rules", EXAMPLE.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.alerts()).isEmpty();
    }
}
