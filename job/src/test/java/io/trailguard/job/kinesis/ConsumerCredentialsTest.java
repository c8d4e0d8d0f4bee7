package io.trailguard.job.kinesis;

import io.trailguard.job.aws.AwsCredentialPolicy;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.testing.ProfileFiles;
import org.apache.flink.streaming.connectors.kinesis.util.AWSUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Kinesis connector's consumer gets its credentials from the one policy: its own credentials code
 * ({@code AWSUtil.getCredentialsProvider}, which the consumer's Kinesis proxy uses) resolves the consumer properties
 * to the named profile's keys, to the dummy keys against a local endpoint without credentials, and a profile in
 * neither file fails before a job is built.
 */
class ConsumerCredentialsTest {
    private static TrailguardConfig config(String profile) {
        TrailguardConfig c = TrailguardConfig.empty().with("events.stream", "events")
                .with("aws.endpoint", "http://127.0.0.1:9").with("aws.region", "us-east-1");
        return profile == null ? c : c.with("aws.profile", profile);
    }

    @Test
    void theConnectorSignsWithTheNamedProfile(@TempDir Path dir) throws Exception {
        try (ProfileFiles ignored = ProfileFiles.write(dir)) {
            Properties p = KinesisSources.consumerProperties(config(ProfileFiles.GOOD), "LATEST");
            assertThat(AWSUtil.getCredentialsProvider(p).getCredentials().getAWSAccessKeyId())
                    .isEqualTo(ProfileFiles.GOOD_KEY);
            Properties wrong = KinesisSources.consumerProperties(config(ProfileFiles.WRONG), "LATEST");
            assertThat(AWSUtil.getCredentialsProvider(wrong).getCredentials().getAWSAccessKeyId())
                    .isEqualTo(ProfileFiles.WRONG_KEY);
            assertThatThrownBy(() -> KinesisSources.consumerProperties(config("missing"), "LATEST"))
                    .hasMessageContaining("AWS profile 'missing'");
        }
    }

    @Test
    void withoutCredentialsALocalEndpointGetsTheDummyKeys(@TempDir Path dir) throws Exception {
        assumeThat(System.getenv("AWS_ACCESS_KEY_ID")).isNull();
        assumeThat(System.getProperty("aws.accessKeyId")).isNull();
        try (ProfileFiles ignored = ProfileFiles.write(dir)) {
            Properties p = KinesisSources.consumerProperties(config(null), "LATEST");
            assertThat(AWSUtil.getCredentialsProvider(p).getCredentials().getAWSAccessKeyId())
                    .isEqualTo(AwsCredentialPolicy.LOCAL_ACCESS_KEY);
        }
    }
}
