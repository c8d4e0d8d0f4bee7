package io.trailguard.job.cli;

/**
 * {@code --profile} / {@code aws.profile}: the AWS SDK's profile name for the whole process (the SDK's
 * {@code aws.profile} system property, which its default credentials chain, region chain and profile provider read),
 * so every client of a command, also those inside the local MiniCluster, signs with that profile.
 */
final class AwsProfile {
    static final String PROPERTY = "aws.profile";

    private AwsProfile() {
    }

    static void apply(String profile) {
        if (profile != null && !profile.isEmpty()) {
            System.setProperty(PROPERTY, profile);
        }
    }

    /** The property before a command, restored after it (tests run many commands in one JVM). */
    static Saved save() {
        return new Saved(System.getProperty(PROPERTY));
    }

    static final class Saved {
        private final String value;

        Saved(String value) {
            this.value = value;
        }

        void restore() {
            if (value == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, value);
            }
        }
    }
}
