package io.trailguard.job.cli;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.aws.AwsCredentialPolicy;
import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.BundleKeys;
import io.trailguard.job.bundle.BundleSignature;
import io.trailguard.job.bundle.BundleSigner;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.BundlePublisher;
import io.trailguard.job.kinesis.KmsBundleSigner;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.source.RuleSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;

/**
 * Validates the bundle (the bundled packs, then the user's files, minus the rules turned off: the same diagnostics
 * as {@code validate}, then the job's own bundle check, {@link CompiledBundle}; exit 1 and nothing published when
 * there is an error), then puts it on the control stream and prints its version and hash. A published bundle
 * replaces the job's rules as a whole, so it is complete: the packs plus the changes.
 *
 * <p>Rules without an enabled rule are refused (a folder without rule files or a wrong path: exit 2; files whose rules
 * are all disabled: exit 1): one wrong path must not turn detection off. {@code --allow-empty} turns detection off on
 * purpose: it publishes a bundle marked intentionally empty (of the given files without the bundled packs, which
 * must have no enabled rule, or of no file without {@code --rules}), which the job accepts with a WARN and an
 * {@code accepted} status saying so.
 *
 * <p>{@code --sign-key} signs the bundle before it is chunked: {@code hmac:env:VAR} / {@code hmac:file:PATH} (a shared
 * HMAC-SHA256 secret; the key is never given on the command line and never printed), or {@code kms:KEY_ID_OR_ARN}
 * (KMS {@code Sign} with an asymmetric key, {@code --sign-alg} {@code ECDSA_SHA_256}, {@code RSASSA_PSS_SHA_256}
 * (default) or {@code RSASSA_PKCS1_V1_5_SHA_256}).
 */
@Command(name = "publish", sortOptions = false,
        description = {"Validate a rule bundle (the bundled packs, then --rules files, minus the rules turned off) "
                + "and put it on the control stream, where the running job takes it without a restart. A bundle "
                + "without an enabled rule is refused unless --allow-empty."})
final class PublishCommand implements Callable<Integer> {
    private static final DateTimeFormatter VERSION =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final Cli cli;

    @Mixin
    RuleOptions rules = new RuleOptions();

    @Option(names = {"-s", "--stream"}, required = true, paramLabel = "NAME",
            description = "the control stream: name or ARN (env TRAILGUARD_CONTROL_STREAM)")
    String stream;

    @Option(names = "--bundle-version", paramLabel = "V", description = "bundle version (default: the UTC time, "
            + "yyyyMMddTHHmmssZ)")
    String version;

    @Option(names = "--version", hidden = true, paramLabel = "V")
    void deprecatedVersion(String v) {
        version = v;
    }

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--sign-key", paramLabel = "SPEC",
            description = "sign the bundle: hmac:env:VAR, hmac:file:PATH or kms:KEY_ID_OR_ARN")
    String signKey;

    @Option(names = "--sign-alg", paramLabel = "ALG", description = "KMS signing algorithm: RSASSA_PSS_SHA_256 "
            + "(default), RSASSA_PKCS1_V1_5_SHA_256, ECDSA_SHA_256")
    String signAlg;

    @Option(names = "--kms-endpoint", paramLabel = "URL", description = "KMS endpoint override")
    String kmsEndpoint;

    @Option(names = "--allow-empty", description = "disable detection on purpose: a bundle marked intentionally "
            + "empty (no bundled packs; the --rules files must have no enabled rule)")
    boolean allowEmpty;

    @Mixin
    AwsOptions aws = new AwsOptions();

    PublishCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        aws.into(flags);
        TrailguardConfig config = clientConfig("publish", ConfigKey.CONTROL_STREAM, stream, flags);
        BundleSigner signer;
        try {
            signer = signer(signKey, signAlg, AwsConnection.fromConfig(config, kmsEndpoint));
        } catch (IllegalArgumentException e) {
            throw new UsageException("publish: --sign-key: " + e.getMessage());
        }
        List<RuleSource> sources;
        if (allowEmpty) {
            sources = RuleFiles.userSources("publish", rules.paths);
        } else {
            if (rules.paths.isEmpty() && rules.noBundledRules) {
                throw new UsageException("publish: --no-bundled-rules needs --rules PATH (or --allow-empty)");
            }
            sources = RuleFiles.sources("publish", rules.selection(), cli.err).all;
        }
        LoadResult r = RuleFiles.load(sources, MatchingMode.ALL);
        RuleFiles.print(r, cli.err);
        if (!r.ok()) {
            cli.err.println("publish: " + r.errors().size() + " error(s): nothing published");
            return Commands.FAILURE;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String v = version != null ? version : VERSION.format(now);
        RuleBundle bundle = allowEmpty
                ? RuleBundle.intentionallyEmpty(v, now.toString(), files(sources), null)
                : RuleBundle.ofSources(v, now.toString(), sources, null);
        // The job's own check (hash, loader, rule count), so publish never sends a bundle the job would refuse.
        CompiledBundle compiled = CompiledBundle.compile(bundle, MatchingMode.ALL);
        if (!compiled.ok()) {
            for (String e : compiled.errors()) {
                cli.err.println("publish: " + e);
            }
            cli.err.println("publish: nothing published");
            return Commands.FAILURE;
        }
        if (signer != null) {
            bundle = signer.sign(bundle);
        }
        int records;
        try (KinesisClient client = AwsClients.kinesis(AwsConnection.kinesis(config))) {
            records = BundlePublisher.publish(client, config.controlStream().name(), bundle);
        }
        if (compiled.detectionDisabled()) {
            cli.err.println("publish: WARNING: " + CompiledBundle.disabledDetail(bundle));
        }
        cli.out.println("published version=" + bundle.version() + " hash=" + bundle.hash() + " rules="
                + compiled.ruleCount() + " files=" + sources.size() + " records=" + records + " stream="
                + config.controlStream() + (bundle.signature() == null ? " unsigned" : " signed=" + bundle.signature())
                + (bundle.isIntentionallyEmpty() ? " intentionally-empty" : ""));
        return 0;
    }

    private static List<BundleFile> files(List<RuleSource> sources) {
        List<BundleFile> files = new ArrayList<>();
        for (RuleSource s : sources) {
            files.add(new BundleFile(s.name(), s.text()));
        }
        return files;
    }

    /** The signer of a {@code --sign-key} specification, or null without one. */
    static BundleSigner signer(String spec, String alg, AwsConnection kms) {
        if (spec == null) {
            if (alg != null || kms.endpoint() != null) {
                throw new IllegalArgumentException("--sign-alg and --kms-endpoint need --sign-key");
            }
            return null;
        }
        if (BundleKeys.isHmac(spec)) {
            if (alg != null && !BundleSignature.HMAC_SHA256.equals(alg)) {
                throw new IllegalArgumentException("an hmac: key signs with HMAC-SHA256, not " + alg);
            }
            return BundleSigner.hmac(BundleKeys.hmacKey(spec, System.getenv()), spec);
        }
        if (spec.startsWith("kms:") && spec.length() > 4) {
            return new KmsBundleSigner(AwsClients.kms(kms), spec.substring(4), alg == null ? BundleSignature.RSASSA_PSS_SHA_256 : alg);
        }
        throw new IllegalArgumentException("expected hmac:env:VAR, hmac:file:PATH or kms:KEY_ID_OR_ARN");
    }

    /** A configuration holding a stream and the AWS options, so region defaults work as for {@code run}. */
    static TrailguardConfig clientConfig(String command, ConfigKey streamKey, String stream, Map<String, String> aws)
            throws UsageException {
        try {
            TrailguardConfig c = TrailguardConfig.empty().with(streamKey.key(), stream).withAll(aws, "the command line");
            if (streamKey == ConfigKey.CONTROL_STREAM) {
                c.controlStream();
            } else {
                c.eventsStream();
            }
            c.region();
            if (c.profile() != null) {
                AwsCredentialPolicy.requireProfile(c.profile());
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage());
        }
    }
}
