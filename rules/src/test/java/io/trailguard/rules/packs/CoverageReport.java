package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Generates rules/COVERAGE.md from the bundled packs and fixtures: every rule with its ATT&CK tactics and
 * techniques, CIS control and Stratus technique, and the coverage of the CIS monitoring controls, the Stratus Red
 * Team techniques, Falco's upstream CloudTrail rules and the Sysdig Cloud Connector set.
 *
 * <p>Rewrite the file with {@code mvn -q -pl rules test -Dtest=CoverageDocTest -Dtrailguard.coverage.write=true},
 * or run {@link #main} from the rules module directory with the test classpath.
 */
public final class CoverageReport {
    static final Path FILE = Paths.get("COVERAGE.md");

    /** Falco's upstream CloudTrail rules (plugins/cloudtrail/rules/aws_cloudtrail_rules.yaml) and ours for each. */
    static final Map<String, List<String>> FALCO_UPSTREAM = new LinkedHashMap<>();
    /** The Sysdig Cloud Connector detections the project started from, and ours for each. */
    static final Map<String, List<String>> SYSDIG = new LinkedHashMap<>();

    static {
        FALCO_UPSTREAM.put("All Cloudtrail Events", List.of()); // disabled DEBUG rule printing every event
        FALCO_UPSTREAM.put("Console Login Through Assume Role", List.of("Console Login Through Assumed Role Outside Federation"));
        FALCO_UPSTREAM.put("Console Login Without MFA", List.of("IAM User Console Login Without MFA",
                "Root Console Login Without MFA"));
        FALCO_UPSTREAM.put("Console Root Login Without MFA", List.of("Root Console Login Without MFA"));
        FALCO_UPSTREAM.put("Deactivate MFA for Root User", List.of("Root MFA Device Deactivated"));
        FALCO_UPSTREAM.put("Create AWS user", List.of("IAM User Created"));
        FALCO_UPSTREAM.put("Create Group", List.of("IAM Group Created or Deleted"));
        FALCO_UPSTREAM.put("Delete Group", List.of("IAM Group Created or Deleted"));
        FALCO_UPSTREAM.put("ECS Service Created", List.of("ECS Service Created by User"));
        FALCO_UPSTREAM.put("ECS Task Run or Started", List.of("ECS Task Run by User"));
        FALCO_UPSTREAM.put("Create Lambda Function", List.of("Lambda Function Created"));
        FALCO_UPSTREAM.put("Update Lambda Function Code", List.of("Lambda Function Code Updated"));
        FALCO_UPSTREAM.put("Update Lambda Function Configuration", List.of("Lambda Function Configuration Updated",
                "Lambda Layer Added to Function"));
        FALCO_UPSTREAM.put("Run Instances", List.of("EC2 Instances Launched"));
        FALCO_UPSTREAM.put("Run Instances in Non-approved Region", List.of("EC2 Instances Launched in Non-Approved Region"));
        FALCO_UPSTREAM.put("Delete Bucket Encryption", List.of("S3 Bucket Encryption Removed"));
        FALCO_UPSTREAM.put("Delete Bucket Public Access Block", List.of("S3 Public Access Block Removed"));
        FALCO_UPSTREAM.put("List Buckets", List.of("Cloud Discovery Burst")); // disabled upstream
        FALCO_UPSTREAM.put("Put Bucket ACL", List.of("S3 Bucket Policy Changes", "S3 Bucket ACL Allows Public Access"));
        FALCO_UPSTREAM.put("Put Bucket Policy", List.of("S3 Bucket Policy Changes", "S3 Bucket Policy Allows Public Access",
                "S3 Bucket Policy Grants Access to External Account"));
        FALCO_UPSTREAM.put("CloudTrail Trail Created", List.of("CloudTrail Trail Created or Changed"));
        FALCO_UPSTREAM.put("CloudTrail Logging Disabled", List.of("CloudTrail Logging Stopped",
                "CloudTrail Logging Disable Attempt Failed"));

        SYSDIG.put("Add user to group", List.of("IAM User Added to Group"));
        SYSDIG.put("Allocate Elastic IP", List.of("EC2 Elastic IP Allocated"));
        SYSDIG.put("Associate Elastic IP to a network interface", List.of("EC2 Elastic IP Associated"));
        SYSDIG.put("Attach administrator policy to user", List.of("IAM Administrator Policy Attached to User"));
        SYSDIG.put("Attach administrator policy to group", List.of("IAM Administrator Policy Attached to Group"));
        SYSDIG.put("Attach administrator policy to role", List.of("IAM Administrator Policy Attached to Role"));
        SYSDIG.put("CloudTrail logging disabled (stopped, trail deleted, selectors or lifecycle blinding it)",
                List.of("CloudTrail Logging Stopped", "CloudTrail Trail Deleted", "CloudTrail Event Selectors Reduce Logging",
                        "S3 Lifecycle Rule Expires Objects Quickly", "CloudTrail Logging Disable Attempt Failed"));
        SYSDIG.put("HTTP target group without TLS", List.of("HTTP Target Group Created Without TLS"));
        SYSDIG.put("Create IAM user", List.of("IAM User Created"));
        SYSDIG.put("Internet-facing load balancer", List.of("Internet-Facing Load Balancer Created"));
        SYSDIG.put("Deactivate MFA (root)", List.of("Root MFA Device Deactivated"));
        SYSDIG.put("Deactivate MFA (users)", List.of("IAM User MFA Device Deactivated"));
        SYSDIG.put("Delete bucket encryption", List.of("S3 Bucket Encryption Removed"));
        SYSDIG.put("Inline policy allowing all resources (user)", List.of("IAM Inline Policy Allows All Resources on User"));
        SYSDIG.put("Inline policy allowing all resources (group)", List.of("IAM Inline Policy Allows All Resources on Group"));
        SYSDIG.put("Inline policy allowing all resources (role)", List.of("IAM Inline Policy Allows All Resources on Role"));
    }

    private CoverageReport() {}

    /** Rewrites COVERAGE.md (run from the rules module directory with the test classpath). */
    public static void main(String[] args) throws IOException {
        Files.write(FILE, generate().getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + FILE.toAbsolutePath());
    }

    static String generate() {
        List<Rule> rules = Packs.rules().rules();
        List<FixtureResult> results = Packs.fixtureResults();
        Map<String, int[]> cases = FixtureRunner.coverage(results);
        StringBuilder sb = new StringBuilder();
        sb.append("# Trailguard bundled rules: coverage\n\n");
        sb.append("<!-- Generated by io.trailguard.rules.packs.CoverageReport from packs/ and fixtures/; do not edit.\n");
        sb.append("     Rewrite: mvn -q -pl rules test -Dtest=CoverageDocTest -Dtrailguard.coverage.write=true -->\n\n");
        Map<Priority, Long> byPriority = rules.stream().collect(Collectors.groupingBy(Rule::priority, TreeMap::new,
                Collectors.counting()));
        long rate = rules.stream().filter(Rule::isRateRule).count();
        sb.append(rules.size()).append(" rules in ").append(Packs.packFiles().size() - 1)
                .append(" service packs (plus common.yaml): ");
        sb.append(byPriority.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().display())
                .collect(Collectors.joining(", ")));
        sb.append("; ").append(rate).append(" of them rate rules. ").append(results.size())
                .append(" fixture cases, each rule with at least one positive (+) and one negative (-) case.\n\n");
        sb.append("Tags: ATT&CK v19 as SigmaHQ writes it (`attack.<tactic>`, `attack.tNNNN.NNN`), CIS AWS Foundations "
                + "Benchmark v3.0.0 monitoring controls (`cis:4.N`, same numbering as v1.5.0 and v2.0.0), Stratus Red "
                + "Team techniques (`stratus:<id>`), `rate` for rules with an `aggregate:` block.\n\n");

        sb.append("## Rules\n");
        Map<String, List<Rule>> byPack = new LinkedHashMap<>();
        for (String f : Packs.packFiles()) {
            byPack.put(f, new ArrayList<>());
        }
        for (Rule r : rules) {
            String pack = r.origin().replaceFirst("^packs/", "").replaceFirst(":.*$", "");
            byPack.computeIfAbsent(pack, k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Rule>> e : byPack.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            sb.append("\n### ").append(e.getKey()).append("\n\n");
            sb.append("| Rule | Priority | ATT&CK tactics | ATT&CK techniques | CIS | Stratus | Fixtures +/- |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (Rule r : e.getValue()) {
                int[] c = cases.getOrDefault(r.name(), new int[2]);
                sb.append("| ").append(r.name()).append(r.isRateRule() ? " (rate)" : "").append(" | ")
                        .append(r.priority().display()).append(" | ")
                        .append(join(r.tags(), t -> t.startsWith("attack.") && !t.matches("attack\\.t\\d.*"),
                                t -> t.substring(7))).append(" | ")
                        .append(join(r.tags(), t -> t.matches("attack\\.t\\d.*"), t -> "T" + t.substring(8)))
                        .append(" | ").append(join(r.tags(), t -> t.startsWith("cis:"), t -> t.substring(4)))
                        .append(" | ").append(join(r.tags(), t -> t.startsWith("stratus:"), t -> t.substring(8)))
                        .append(" | ").append(c[0]).append("/").append(c[1]).append(" |\n");
            }
        }

        sb.append("\n## CIS AWS Foundations Benchmark v3.0.0, section 4 (Monitoring)\n\n");
        sb.append("| Control | Title | Rules |\n|---|---|---|\n");
        for (Map.Entry<String, String> c : Packs.CIS_CONTROLS.entrySet()) {
            sb.append("| ").append(c.getKey()).append(" | ").append(c.getValue()).append(" | ")
                    .append(rulesTagged(rules, "cis:" + c.getKey())).append(" |\n");
        }

        List<String> withoutLogs = new ArrayList<>();
        for (String t : Packs.STRATUS_TECHNIQUES) {
            if (!Files.exists(Packs.FIXTURES.resolve("data/stratus/" + t + ".json"))) {
                withoutLogs.add(t);
            }
        }
        long covered = Packs.STRATUS_TECHNIQUES.stream().filter(t -> !rulesTagged(rules, "stratus:" + t).isEmpty()).count();
        sb.append("\n## Stratus Red Team AWS techniques\n\n");
        sb.append(covered).append(" of ").append(Packs.STRATUS_TECHNIQUES.size()).append(" techniques have rules. ")
                .append(Packs.STRATUS_TECHNIQUES.size() - withoutLogs.size())
                .append(" have a published detonation log (fixtures/data/stratus); replaying each raises an alert of a "
                        + "rule tagged with it (StratusReplayTest). Without a log (fixtures written from the technique's "
                        + "source and documentation, or taken from the invictus replay): ")
                .append(String.join(", ", withoutLogs)).append(".\n\n");
        sb.append("| Technique | Detonation log | Rules |\n|---|---|---|\n");
        for (String t : Packs.STRATUS_TECHNIQUES) {
            sb.append("| ").append(t).append(" | ").append(withoutLogs.contains(t) ? "no" : "yes").append(" | ")
                    .append(rulesTagged(rules, "stratus:" + t)).append(" |\n");
        }

        sb.append("\n## Falco upstream CloudTrail rules\n\n");
        sb.append("Every rule of `plugins/cloudtrail/rules/aws_cloudtrail_rules.yaml` (falcosecurity/plugins), rewritten "
                + "as our own rules (names differ, so both files can be loaded together).\n\n");
        sb.append("| Upstream rule | Trailguard rules |\n|---|---|\n");
        FALCO_UPSTREAM.forEach((k, v) -> sb.append("| ").append(k).append(" | ")
                .append(v.isEmpty() ? "none: a disabled debug rule that prints every event" : String.join(", ", v))
                .append(" |\n"));

        sb.append("\n## Sysdig Cloud Connector set\n\n");
        sb.append("| Detection | Trailguard rules |\n|---|---|\n");
        SYSDIG.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(String.join(", ", v)).append(" |\n"));
        return sb.toString();
    }

    private static String rulesTagged(List<Rule> rules, String tag) {
        return rules.stream().filter(r -> r.tags().contains(tag)).map(Rule::name).collect(Collectors.joining(", "));
    }

    private static String join(List<String> tags, java.util.function.Predicate<String> keep,
                               java.util.function.Function<String, String> show) {
        return tags.stream().filter(keep).map(show).collect(Collectors.joining(", "));
    }
}
