package io.trailguard.job.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A shared AWS config and credentials file with named profiles, made the files of every SDK client of this JVM
 * through the SDK's system properties {@code aws.configFile} and {@code aws.sharedCredentialsFile} (the same as
 * {@code AWS_CONFIG_FILE} / {@code AWS_SHARED_CREDENTIALS_FILE}); {@link #close} restores the previous values.
 */
public final class ProfileFiles implements AutoCloseable {
    public static final String GOOD = "good";
    public static final String GOOD_KEY = "AKIAPROFILEGOOD00001";
    public static final String GOOD_SECRET = "good-secret-0123456789";
    public static final String WRONG = "wrong";
    public static final String WRONG_KEY = "AKIAPROFILEWRONG0002";

    private final Path credentials;
    private final String oldConfig;
    private final String oldCredentials;

    private ProfileFiles(Path credentials, String oldConfig, String oldCredentials) {
        this.credentials = credentials;
        this.oldConfig = oldConfig;
        this.oldCredentials = oldCredentials;
    }

    /**
     * Profiles {@value #GOOD} ({@value #GOOD_KEY}, region {@code eu-west-1} in the config file) and {@value #WRONG}
     * (a key no server accepts), and no default profile.
     */
    public static ProfileFiles write(Path dir) throws IOException {
        Path config = dir.resolve("aws-config");
        Path credentials = dir.resolve("aws-credentials");
        Files.write(config, ("[profile " + GOOD + "]\nregion = eu-west-1\n\n[profile " + WRONG + "]\n")
                .getBytes(StandardCharsets.UTF_8));
        Files.write(credentials, ("[" + GOOD + "]\naws_access_key_id = " + GOOD_KEY + "\naws_secret_access_key = "
                + GOOD_SECRET + "\n\n[" + WRONG + "]\naws_access_key_id = " + WRONG_KEY
                + "\naws_secret_access_key = not-the-secret\n").getBytes(StandardCharsets.UTF_8));
        ProfileFiles f = new ProfileFiles(credentials, System.getProperty("aws.configFile"),
                System.getProperty("aws.sharedCredentialsFile"));
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        return f;
    }

    public Path credentials() {
        return credentials;
    }

    @Override
    public void close() {
        restore("aws.configFile", oldConfig);
        restore("aws.sharedCredentialsFile", oldCredentials);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
