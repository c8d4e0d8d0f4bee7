package io.trailguard.job;

import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;

import java.util.ArrayList;
import java.util.List;

/** Rule bundles used across the tests. */
public final class TestRules {
    /** A rule the bundled packs do not have, on CreateAccessKey. */
    public static final String ACCESS_KEY_RULE = String.join("\n",
            "- rule: Access Key Created",
            "  desc: A new access key was created for an IAM user.",
            "  condition: ct.name = \"CreateAccessKey\" and not ct.error exists",
            "  output: Access key created for %ct.request.username by %ct.user.arn",
            "  priority: NOTICE",
            "  tags: [aws, iam, test]",
            "  source: aws_cloudtrail",
            "");

    /** The start-up rules of the pipeline tests: two rules, no dependency on the bundled packs. */
    public static final String BASE_RULES = String.join("\n",
            "- rule: Create IAM User",
            "  desc: A new IAM user was created.",
            "  condition: ct.name = \"CreateUser\" and not ct.error exists",
            "  output: IAM user %ct.request.username created by %ct.user.arn",
            "  priority: INFO",
            "  tags: [aws, iam]",
            "  source: aws_cloudtrail",
            "",
            "- rule: CloudTrail Logging Disabled",
            "  desc: CloudTrail logging was stopped.",
            "  condition: ct.name = \"StopLogging\" and ct.src = \"cloudtrail.amazonaws.com\" and not ct.error exists",
            "  output: CloudTrail logging stopped for %ct.request.name by %ct.user.arn",
            "  priority: CRITICAL",
            "  tags: [aws, cloudtrail]",
            "  source: aws_cloudtrail",
            "");

    /** Disables the "Create IAM User" rule of {@link #BASE_RULES}. */
    public static final String DISABLE_CREATE_USER = String.join("\n",
            "- rule: Create IAM User",
            "  enabled: false",
            "  override:",
            "    enabled: replace",
            "");

    /** A rule whose condition does not parse (line 3 of the file). */
    public static final String BROKEN_RULE = String.join("\n",
            "- rule: Broken",
            "  desc: does not parse",
            "  condition: ct.name = = \"x\"",
            "  output: never",
            "  priority: INFO",
            "  source: aws_cloudtrail",
            "");

    private TestRules() {
    }

    /** A valid bundle whose message is about {@code bytes} long (a big comment pads a rules file). */
    public static RuleBundle bigBundle(String version, int bytes) {
        StringBuilder pad = new StringBuilder("# padding\n");
        java.util.Random r = new java.util.Random(42);
        while (pad.length() < bytes) {
            pad.append("# ").append(Long.toHexString(r.nextLong())).append(" \u00dcn\u00efc\u00f6d\u00e9 \u2713\n");
        }
        return basePlus(version, "padding.yaml", pad + ACCESS_KEY_RULE);
    }

    /** {@link #BASE_RULES} as the start-up bundle. */
    public static RuleBundle base() {
        return RuleBundle.of("base", null, java.util.Collections.singletonList(new BundleFile("base.yaml", BASE_RULES)),
                "rules.path");
    }

    /** {@link #BASE_RULES} plus extra files. */
    public static RuleBundle basePlus(String version, String... nameAndContent) {
        List<BundleFile> files = new ArrayList<>();
        files.add(new BundleFile("base.yaml", BASE_RULES));
        for (int i = 0; i < nameAndContent.length; i += 2) {
            files.add(new BundleFile(nameAndContent[i], nameAndContent[i + 1]));
        }
        return RuleBundle.of(version, "2026-01-01T00:00:00Z", files, null);
    }

    public static RuleBundle bundled() {
        return RuleBundle.ofSources("bundled", null, RuleLoader.bundledPacks(), "bundled");
    }

    /** The bundled packs plus extra files. */
    public static RuleBundle bundledPlus(String version, String... nameAndContent) {
        List<BundleFile> files = new ArrayList<>();
        for (RuleSource s : RuleLoader.bundledPacks()) {
            files.add(new BundleFile(s.name(), s.text()));
        }
        for (int i = 0; i < nameAndContent.length; i += 2) {
            files.add(new BundleFile(nameAndContent[i], nameAndContent[i + 1]));
        }
        return RuleBundle.of(version, "2026-01-01T00:00:00Z", files, null);
    }
}
