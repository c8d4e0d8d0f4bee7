package io.trailguard.rules.packs;

import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.fixtures.FixtureFile;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The bundled packs and their fixtures, as the tests of this package see them (module directory = cwd). */
final class Packs {
    private Packs() {}

    /** Where the fixtures live in the source tree (relative to the rules module). */
    static final Path FIXTURES = Paths.get("fixtures");
    static final Path PACKS = Paths.get("packs");

    /** Every AWS technique of Stratus Red Team (44, docs/attack-techniques/AWS at 7c9a7a5), by tactic. */
    static final List<String> STRATUS_TECHNIQUES = List.of(
            "aws.credential-access.ec2-get-password-data",
            "aws.credential-access.ec2-steal-instance-credentials",
            "aws.credential-access.secretsmanager-batch-retrieve-secrets",
            "aws.credential-access.secretsmanager-retrieve-secrets",
            "aws.credential-access.ssm-retrieve-securestring-parameters",
            "aws.defense-evasion.cloudtrail-delete",
            "aws.defense-evasion.cloudtrail-event-selectors",
            "aws.defense-evasion.cloudtrail-lifecycle-rule",
            "aws.defense-evasion.cloudtrail-stop",
            "aws.defense-evasion.dns-delete-logs",
            "aws.defense-evasion.organizations-leave",
            "aws.defense-evasion.vpc-remove-flow-logs",
            "aws.discovery.ec2-download-user-data",
            "aws.discovery.ec2-enumerate-from-instance",
            "aws.discovery.ses-enumerate",
            "aws.execution.ec2-launch-unusual-instances",
            "aws.execution.ec2-user-data",
            "aws.execution.sagemaker-update-lifecycle-config",
            "aws.execution.ssm-send-command",
            "aws.execution.ssm-start-session",
            "aws.exfiltration.ec2-security-group-open-port-22-ingress",
            "aws.exfiltration.ec2-share-ami",
            "aws.exfiltration.ec2-share-ebs-snapshot",
            "aws.exfiltration.rds-share-snapshot",
            "aws.exfiltration.s3-backdoor-bucket-policy",
            "aws.impact.bedrock-invoke-model",
            "aws.impact.ec2-deregister-ami",
            "aws.impact.s3-ransomware-batch-deletion",
            "aws.impact.s3-ransomware-client-side-encryption",
            "aws.impact.s3-ransomware-individual-deletion",
            "aws.initial-access.console-login-without-mfa",
            "aws.lateral-movement.ec2-instance-connect",
            "aws.lateral-movement.ec2-serial-console-send-ssh-public-key",
            "aws.persistence.iam-backdoor-role",
            "aws.persistence.iam-backdoor-user",
            "aws.persistence.iam-create-admin-user",
            "aws.persistence.iam-create-backdoor-role",
            "aws.persistence.iam-create-user-login-profile",
            "aws.persistence.lambda-backdoor-function",
            "aws.persistence.lambda-layer-extension",
            "aws.persistence.lambda-overwrite-code",
            "aws.persistence.rolesanywhere-create-trust-anchor",
            "aws.persistence.sts-federation-token",
            "aws.privilege-escalation.iam-update-user-login-profile");

    /** CIS AWS Foundations Benchmark v3.0.0 section 4 (Monitoring) controls the packs implement. */
    static final Map<String, String> CIS_CONTROLS = new LinkedHashMap<>();

    static {
        CIS_CONTROLS.put("4.1", "Unauthorized API calls");
        CIS_CONTROLS.put("4.2", "Management Console sign-in without MFA");
        CIS_CONTROLS.put("4.3", "Usage of the root account");
        CIS_CONTROLS.put("4.4", "IAM policy changes");
        CIS_CONTROLS.put("4.5", "CloudTrail configuration changes");
        CIS_CONTROLS.put("4.6", "Management Console authentication failures");
        CIS_CONTROLS.put("4.7", "Disabling or scheduled deletion of customer created CMKs");
        CIS_CONTROLS.put("4.8", "S3 bucket policy changes");
        CIS_CONTROLS.put("4.9", "AWS Config configuration changes");
        CIS_CONTROLS.put("4.10", "Security group changes");
        CIS_CONTROLS.put("4.11", "Changes to Network Access Control Lists (NACL)");
        CIS_CONTROLS.put("4.12", "Changes to network gateways");
        CIS_CONTROLS.put("4.13", "Route table changes");
        CIS_CONTROLS.put("4.14", "VPC changes");
        CIS_CONTROLS.put("4.15", "AWS Organizations changes");
    }

    /** ATT&CK v19 tactics, as SigmaHQ writes them. */
    static final Set<String> TACTICS = Set.of("reconnaissance", "resource-development", "initial-access", "execution",
            "persistence", "privilege-escalation", "stealth", "defense-impairment", "credential-access", "discovery",
            "lateral-movement", "collection", "command-and-control", "exfiltration", "impact");

    private static RuleSet rules;
    private static List<FixtureResult> results;

    /** The bundled packs (classpath, as shipped). */
    static synchronized RuleSet rules() {
        if (rules == null) {
            rules = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).orThrow();
        }
        return rules;
    }

    /** The pack files of the source tree, in index order. */
    static List<String> packFiles() {
        return indexed(PACKS.resolve("index.txt"));
    }

    /** The fixture files named by fixtures/index.txt. */
    static List<String> fixtureFiles() {
        return indexed(FIXTURES.resolve("index.txt"));
    }

    /** Every fixture case of the source tree run against the bundled packs (cached). */
    static synchronized List<FixtureResult> fixtureResults() {
        if (results == null) {
            List<FixtureFile> files = new ArrayList<>();
            try {
                for (String f : fixtureFiles()) {
                    FixtureFile ff = FixtureFile.of(FIXTURES.resolve(f));
                    files.add(new FixtureFile("fixtures/" + f, ff.text(), ff::readRelative));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<RuleSource> sources = RuleLoader.bundledPacks();
            results = FixtureRunner.runFiles(sources, files, LoadOptions.defaults());
        }
        return results;
    }

    /** The stratus:* tags of a rule, without the prefix. */
    static Set<String> stratusTags(List<String> tags) {
        Set<String> out = new TreeSet<>();
        for (String t : tags) {
            if (t.startsWith("stratus:")) {
                out.add(t.substring("stratus:".length()));
            }
        }
        return out;
    }

    private static List<String> indexed(Path index) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(index)) {
                String l = line.trim();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(l);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
