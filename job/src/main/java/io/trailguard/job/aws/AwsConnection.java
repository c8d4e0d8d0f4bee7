package io.trailguard.job.aws;

import io.trailguard.job.config.TrailguardConfig;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how an AWS client connects: region (null: the SDK's default region chain), optional endpoint override
 * (a local emulator or test server), optional named profile ({@code --profile}, {@code aws.profile}; how it is used
 * is {@link AwsCredentialPolicy}), and timeouts. Serializable, so sinks and sources carry it to the task managers.
 */
public final class AwsConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Region used with an endpoint override when none is given. */
    public static final String LOCAL_DEFAULT_REGION = "us-east-1";

    private final String region;
    private final String endpoint;
    private final String profile;
    private final long connectTimeoutMs;
    private final long attemptTimeoutMs;

    private AwsConnection(String region, String endpoint, String profile, long connectTimeoutMs,
                          long attemptTimeoutMs) {
        this.region = blankToNull(region);
        this.endpoint = blankToNull(endpoint);
        this.profile = blankToNull(profile);
        if (this.endpoint != null) {
            URI uri = URI.create(this.endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("AWS endpoint must be a URL like http://localhost:4566, got '"
                        + endpoint + "'");
            }
        }
        if (connectTimeoutMs <= 0 || attemptTimeoutMs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        this.connectTimeoutMs = connectTimeoutMs;
        this.attemptTimeoutMs = attemptTimeoutMs;
    }

    /** Region and endpoint (either may be null), 5 s connect timeout, 20 s per HTTP attempt. */
    public static AwsConnection of(String region, String endpoint) {
        return new AwsConnection(region, endpoint, null, 5_000, 20_000);
    }

    /**
     * The connection of the configuration's AWS options: {@code aws.region} (or its defaults), {@code endpoint}
     * (one of {@code aws.endpoint}, {@code s3.endpoint}, {@code sqs.endpoint}, chosen by the caller) and
     * {@code aws.profile}.
     */
    public static AwsConnection fromConfig(TrailguardConfig config, String endpoint) {
        return of(config.region(), endpoint).withProfile(config.profile());
    }

    /** The connection of the Kinesis streams: {@code aws.endpoint}. */
    public static AwsConnection kinesis(TrailguardConfig config) {
        return fromConfig(config, config.endpoint());
    }

    public AwsConnection withTimeouts(Duration connect, Duration perAttempt) {
        return new AwsConnection(region, endpoint, profile, connect.toMillis(), perAttempt.toMillis());
    }

    public AwsConnection withRegion(String r) {
        return new AwsConnection(r, endpoint, profile, connectTimeoutMs, attemptTimeoutMs);
    }

    public AwsConnection withEndpoint(String e) {
        return new AwsConnection(region, e, profile, connectTimeoutMs, attemptTimeoutMs);
    }

    /** The same connection signing with the named profile (null or blank: no named profile). */
    public AwsConnection withProfile(String p) {
        return new AwsConnection(region, endpoint, p, connectTimeoutMs, attemptTimeoutMs);
    }

    /** The named profile, or null. */
    public String profile() {
        return profile;
    }

    /** The configured region, or null for the SDK default chain. */
    public String region() {
        return region;
    }

    /** The endpoint override, or null. */
    public String endpoint() {
        return endpoint;
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(connectTimeoutMs);
    }

    public Duration attemptTimeout() {
        return Duration.ofMillis(attemptTimeoutMs);
    }

    /**
     * The region clients use: the configured one; else {@value #LOCAL_DEFAULT_REGION} with an endpoint override;
     * else the SDK's default chain (AWS_REGION, the named or default profile, instance metadata).
     */
    public String resolveRegion() {
        if (region != null) {
            return region;
        }
        if (endpoint != null) {
            return LOCAL_DEFAULT_REGION;
        }
        return DefaultAwsRegionProviderChain.builder().profileName(profile).build().getRegion().id();
    }

    private static String blankToNull(String s) {
        return s == null || s.trim().isEmpty() ? null : s.trim();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AwsConnection)) {
            return false;
        }
        AwsConnection c = (AwsConnection) o;
        return Objects.equals(region, c.region) && Objects.equals(endpoint, c.endpoint)
                && Objects.equals(profile, c.profile) && connectTimeoutMs == c.connectTimeoutMs && attemptTimeoutMs == c.attemptTimeoutMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, endpoint, profile, connectTimeoutMs, attemptTimeoutMs);
    }

    @Override
    public String toString() {
        return "AwsConnection{region=" + (region == null ? "<default chain>" : region)
                + (endpoint == null ? "" : ", endpoint=" + endpoint)
                + (profile == null ? "" : ", profile=" + profile) + "}";
    }
}
