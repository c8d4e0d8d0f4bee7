package io.trailguard.job.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The one credential policy of every AWS client of the job and the command line (the SDK v2 clients of
 * {@link AwsClients} and the Kinesis connector's consumer, which the {@code kinesis} package configures from
 * {@link #source}):
 * <ol>
 *   <li>A named profile ({@code --profile}, {@code aws.profile}): the SDK's default credentials chain with that
 *       profile (as the AWS CLI's {@code --profile}; credentials in the environment or system properties come first
 *       in that chain), also with an endpoint override. The profile must exist in the shared config or credentials
 *       file ({@link #requireProfile}).</li>
 *   <li>Else, without an endpoint override: the SDK's default chain (environment, system properties, web identity,
 *       {@code AWS_PROFILE} or the default profile, container and instance credentials).</li>
 *   <li>Else (a local server): the environment, system properties and the default profile, then fixed dummy keys
 *       {@value #LOCAL_ACCESS_KEY}, so a local server can always be signed for and no instance-metadata probe delays
 *       start-up.</li>
 * </ol>
 */
public final class AwsCredentialPolicy {
    /** Access key and secret of the dummy credentials used against an endpoint override without other credentials. */
    public static final String LOCAL_ACCESS_KEY = "trailguard-local";

    /** Where a connection's credentials come from. */
    public enum Source {
        /** The default chain with the connection's named profile. */
        NAMED_PROFILE,
        /** The default chain (with an endpoint override: one that found credentials in the environment). */
        DEFAULT_CHAIN,
        /** An endpoint override and no credentials in the environment: the dummy keys. */
        LOCAL_KEYS
    }

    private AwsCredentialPolicy() {
    }

    /** The credentials provider of {@code c}'s clients. */
    public static AwsCredentialsProvider provider(AwsConnection c) {
        if (c.profile() != null) {
            requireProfile(c.profile());
            return DefaultCredentialsProvider.builder().profileName(c.profile()).build();
        }
        if (c.endpoint() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return AwsCredentialsProviderChain.builder()
                .reuseLastProviderEnabled(true)
                .credentialsProviders(environment(), StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCAL_ACCESS_KEY, LOCAL_ACCESS_KEY)))
                .build();
    }

    /**
     * Where {@code c}'s credentials come from, decided now: for clients that take a provider type rather than a
     * provider (the Kinesis connector's properties).
     */
    public static Source source(AwsConnection c) {
        if (c.profile() != null) {
            requireProfile(c.profile());
            return Source.NAMED_PROFILE;
        }
        if (c.endpoint() == null) {
            return Source.DEFAULT_CHAIN;
        }
        try {
            environment().resolveCredentials();
            return Source.DEFAULT_CHAIN;
        } catch (SdkException e) {
            return Source.LOCAL_KEYS;
        }
    }

    /**
     * Throws IllegalArgumentException naming the profile and both files when neither the shared config file
     * ({@code AWS_CONFIG_FILE}, {@code aws.configFile}, {@code ~/.aws/config}) nor the shared credentials file
     * ({@code AWS_SHARED_CREDENTIALS_FILE}, {@code aws.sharedCredentialsFile}, {@code ~/.aws/credentials}) has it.
     */
    public static void requireProfile(String profile) {
        if (!ProfileFile.defaultProfileFile().profile(profile).isPresent()) {
            throw new IllegalArgumentException("AWS profile '" + profile + "' is not in the AWS config file "
                    + ProfileFileLocation.configurationFilePath() + " nor in the credentials file "
                    + ProfileFileLocation.credentialsFilePath());
        }
    }

    /** The shared credentials file, when it exists (clients that read only that file are pointed at it). */
    public static Optional<Path> credentialsFile() {
        return ProfileFileLocation.credentialsFileLocation();
    }

    /** Environment variables, system properties, then the default profile: no instance-metadata probe. */
    private static AwsCredentialsProvider environment() {
        return AwsCredentialsProviderChain.builder()
                .reuseLastProviderEnabled(true)
                .credentialsProviders(
                        EnvironmentVariableCredentialsProvider.create(),
                        SystemPropertyCredentialsProvider.create(),
                        ProfileCredentialsProvider.create())
                .build();
    }
}
