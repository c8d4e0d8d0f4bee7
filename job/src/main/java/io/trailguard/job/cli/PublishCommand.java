package io.trailguard.job.cli;

import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.BundleKeys;
import io.trailguard.job.bundle.BundleSignature;
import io.trailguard.job.bundle.BundleSigner;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.BundlePublisher;
import io.trailguard.job.kinesis.KinesisClients;
import io.trailguard.job.kinesis.KmsBundleSigner;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.source.RuleSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code publish --rules PATH... --stream NAME [--aws-region R] [--aws-endpoint URL] [--version V]
 * [--sign-key SPEC [--sign-alg ALG] [--kms-endpoint URL]] [--allow-empty]}: validates the rule files (the same
 * diagnostics as {@code validate}, then the job's own bundle check, {@link CompiledBundle}; exit 1 and nothing
 * published when there is an error), then puts them on the control stream as one bundle and prints its version and
 * hash.
 *
 * <p>Rules without an enabled rule are refused (a folder without rule files or a wrong path: exit 2; files whose rules
 * are all disabled: exit 1): one wrong path must not turn detection off. {@code --allow-empty} turns detection off on
 * purpose: it publishes a bundle marked intentionally empty (of the given files, which must have no enabled rule, or
 * of no file without {@code --rules}), which the job accepts with a WARN and an {@code accepted} status saying so.
 *
 * <p>{@code --sign-key} signs the bundle before it is chunked: {@code hmac:env:VAR} / {@code hmac:file:PATH} (a shared
 * HMAC-SHA256 secret; the key is never given on the command line and never printed), or {@code kms:KEY_ID_OR_ARN}
 * (KMS {@code Sign} with an asymmetric key, {@code --sign-alg} {@code ECDSA_SHA_256}, {@code RSASSA_PSS_SHA_256}
 * (default) or {@code RSASSA_PKCS1_V1_5_SHA_256}).
 */
final class PublishCommand implements Command {
    private static final DateTimeFormatter VERSION =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Override
    public int run(Args args, Cli cli) throws Exception {
        args.allow("rules", "stream", "aws-region", "aws-endpoint", "version", "sign-key", "sign-alg", "kms-endpoint",
                "allow-empty");
        boolean allowEmpty = args.flag("allow-empty");
        List<String> paths = allowEmpty && !args.has("rules") ? Collections.emptyList()
                : args.required("rules", "PATH...");
        String stream = args.single("stream");
        if (stream == null) {
            throw new UsageException("publish: --stream NAME is required");
        }
        TrailguardConfig config = clientConfig("publish", ConfigKey.CONTROL_STREAM, stream, args);
        BundleSigner signer;
        try {
            signer = signer(args.single("sign-key"), args.single("sign-alg"), config.region(),
                    args.single("kms-endpoint"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("publish: --sign-key: " + e.getMessage());
        }
        List<RuleSource> sources = paths.isEmpty() ? Collections.emptyList() : RuleFiles.sources("publish", paths);
        LoadResult r = RuleFiles.load(sources, MatchingMode.ALL);
        RuleFiles.print(r, cli.err);
        if (!r.ok()) {
            cli.err.println("publish: " + r.errors().size() + " error(s): nothing published");
            return 1;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String version = args.single("version") != null ? args.single("version") : VERSION.format(now);
        RuleBundle bundle = allowEmpty
                ? RuleBundle.intentionallyEmpty(version, now.toString(), files(sources), null)
                : RuleBundle.ofSources(version, now.toString(), sources, null);
        // The job's own check (hash, loader, rule count), so publish never sends a bundle the job would refuse.
        CompiledBundle compiled = CompiledBundle.compile(bundle, MatchingMode.ALL);
        if (!compiled.ok()) {
            for (String e : compiled.errors()) {
                cli.err.println("publish: " + e);
            }
            cli.err.println("publish: nothing published");
            return 1;
        }
        if (signer != null) {
            bundle = signer.sign(bundle);
        }
        int records;
        try (KinesisClient client = KinesisClients.create(config)) {
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
    static BundleSigner signer(String spec, String alg, String region, String kmsEndpoint) {
        if (spec == null) {
            if (alg != null || kmsEndpoint != null) {
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
            KmsClient kms = KmsBundleSigner.client(region, kmsEndpoint);
            return new KmsBundleSigner(kms, spec.substring(4), alg == null ? BundleSignature.RSASSA_PSS_SHA_256 : alg);
        }
        throw new IllegalArgumentException("expected hmac:env:VAR, hmac:file:PATH or kms:KEY_ID_OR_ARN");
    }

    /** A configuration holding a stream and the AWS flags, so region defaults work as for {@code run}. */
    static TrailguardConfig clientConfig(String command, ConfigKey streamKey, String stream, Args args)
            throws UsageException {
        try {
            TrailguardConfig c = TrailguardConfig.empty().with(streamKey.key(), stream);
            if (args.single("aws-region") != null) {
                c = c.with(ConfigKey.AWS_REGION.key(), args.single("aws-region"));
            }
            if (args.single("aws-endpoint") != null) {
                c = c.with(ConfigKey.AWS_ENDPOINT.key(), args.single("aws-endpoint"));
            }
            if (streamKey == ConfigKey.CONTROL_STREAM) {
                c.controlStream();
            } else {
                c.eventsStream();
            }
            c.region();
            return c;
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage());
        }
    }
}
