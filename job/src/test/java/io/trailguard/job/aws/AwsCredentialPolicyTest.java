package io.trailguard.job.aws;

import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.s3.QueueSettings;
import io.trailguard.job.s3.S3Sources;
import io.trailguard.job.testing.ProfileFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.AwsClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The credential policy as every client of {@link AwsClients} applies it, read back from the built clients' own
 * configuration: a named profile's keys (with and without an endpoint override), the dummy keys against a local
 * server without credentials, a clear error for a profile in neither file, and the profile's region.
 */
class AwsCredentialPolicyTest {
    private ProfileFiles profiles;

    @BeforeEach
    void profiles(@TempDir Path dir) throws Exception {
        profiles = ProfileFiles.write(dir);
    }

    @AfterEach
    void restore() {
        profiles.close();
    }

    private static List<Function<AwsConnection, AwsClient>> everyClient() {
        List<Function<AwsConnection, AwsClient>> all = new ArrayList<>();
        all.add(AwsClients::kinesis);
        all.add(AwsClients::kms);
        all.add(AwsClients::s3);
        all.add(AwsClients::sqs);
        all.add(AwsClients::securityHub);
        all.add(AwsClients::securityHubForSink);
        all.add(AwsClients::cloudWatchLogs);
        all.add(AwsClients::cloudWatchLogsForSink);
        return all;
    }

    private static String accessKey(AwsClient client) {
        AwsCredentialsIdentity id = client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
        return id.accessKeyId();
    }

    @Test
    void everyClientSignsWithTheNamedProfileAlsoAgainstALocalEndpoint() {
        for (String endpoint : new String[] {null, "http://127.0.0.1:9"}) {
            AwsConnection c = AwsConnection.of("us-east-1", endpoint).withProfile(ProfileFiles.GOOD);
            for (Function<AwsConnection, AwsClient> make : everyClient()) {
                try (AwsClient client = make.apply(c)) {
                    assertThat(accessKey(client)).as(client.serviceName() + " " + endpoint)
                            .isEqualTo(ProfileFiles.GOOD_KEY);
                }
            }
            assertThat(AwsCredentialPolicy.source(c)).isEqualTo(AwsCredentialPolicy.Source.NAMED_PROFILE);
        }
    }

    @Test
    void withoutAProfileALocalEndpointGetsTheDummyKeys() {
        assumeThat(System.getenv("AWS_ACCESS_KEY_ID")).as("credentials in the environment").isNull();
        assumeThat(System.getProperty("aws.accessKeyId")).isNull();
        AwsConnection c = AwsConnection.of("us-east-1", "http://127.0.0.1:9");
        for (Function<AwsConnection, AwsClient> make : everyClient()) {
            try (AwsClient client = make.apply(c)) {
                assertThat(accessKey(client)).as(client.serviceName()).isEqualTo(AwsCredentialPolicy.LOCAL_ACCESS_KEY);
            }
        }
        assertThat(AwsCredentialPolicy.source(c)).isEqualTo(AwsCredentialPolicy.Source.LOCAL_KEYS);
        assertThat(AwsCredentialPolicy.source(AwsConnection.of("us-east-1", null)))
                .isEqualTo(AwsCredentialPolicy.Source.DEFAULT_CHAIN);
    }

    @Test
    void aProfileInNeitherFileIsNamedInTheError() {
        AwsConnection c = AwsConnection.of("us-east-1", "http://127.0.0.1:9").withProfile("no-such-profile");
        assertThatThrownBy(() -> AwsClients.kinesis(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS profile 'no-such-profile'")
                .hasMessageContaining(profiles.credentials().toString());
        assertThatThrownBy(() -> AwsCredentialPolicy.source(c)).hasMessageContaining("'no-such-profile'");
    }

    @Test
    void theProfilesRegionIsTheDefaultRegion() {
        assumeThat(System.getenv("AWS_REGION")).isNull();
        assumeThat(System.getenv("AWS_DEFAULT_REGION")).isNull();
        assertThat(AwsConnection.of(null, null).withProfile(ProfileFiles.GOOD).resolveRegion()).isEqualTo("eu-west-1");
        TrailguardConfig config = TrailguardConfig.empty().with("aws.profile", ProfileFiles.GOOD);
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(AwsConnection.kinesis(config).profile()).isEqualTo(ProfileFiles.GOOD);
    }

    @Test
    void theS3SourceOfRunSignsWithTheProfile() {
        TrailguardConfig config = TrailguardConfig.empty().with("events.queue", "trail-files")
                .with("aws.region", "us-east-1").with("s3.endpoint", "http://127.0.0.1:9")
                .with("sqs.endpoint", "http://127.0.0.1:9").with("aws.profile", ProfileFiles.GOOD);
        QueueSettings settings = S3Sources.settings(config);
        try (AwsClient s3 = settings.s3(); AwsClient sqs = settings.sqs()) {
            assertThat(accessKey(s3)).isEqualTo(ProfileFiles.GOOD_KEY);
            assertThat(accessKey(sqs)).isEqualTo(ProfileFiles.GOOD_KEY);
        }
    }
}
