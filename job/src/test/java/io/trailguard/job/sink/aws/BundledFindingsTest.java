package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.IncidentCorrelator;
import io.trailguard.rules.incident.SubjectActor;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.BatchImportFindingsResponse;
import software.amazon.awssdk.services.securityhub.model.ResourceDetails;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ASFF of every bundled rule, by construction: every ATT&CK tag of the bundled packs (and of the SigmaHQ
 * CloudTrail rules in ../shared) maps to a type of the ASFF taxonomy, and the finding of every alert the bundled
 * fixtures raise is imported by the real SDK client into the local Security Hub endpoint, which checks required
 * fields, formats and sizes; resource types are ASFF's (a {@code ResourceDetails} member of the SDK's model).
 */
class BundledFindingsTest {
    private static FakeAwsEndpoint fake;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeAwsEndpoint();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    /** The resource types ASFF details: the members of {@code ResourceDetails} in the SDK's model, plus Other. */
    static Set<String> asffResourceTypes() {
        Set<String> types = new HashSet<>();
        for (SdkField<?> f : ResourceDetails.builder().build().sdkFields()) {
            types.add(f.locationName());
        }
        types.add("AwsAccount"); // ASFF's account resource, which has no details shape
        return types;
    }

    static void assertTaxonomy(String rule, List<String> types) {
        for (String t : types) {
            String[] parts = t.split("/", 3);
            assertThat(FindingTypes.TAXONOMY).as("%s: namespace of %s", rule, t).containsKey(parts[0]);
            if (parts.length > 1) {
                assertThat(FindingTypes.TAXONOMY.get(parts[0])).as("%s: category of %s", rule, t).contains(parts[1]);
            }
        }
    }

    @Test
    void everyAttackTagOfTheBundledPacksMapsToAnAsffType() {
        RuleSet rs = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).orThrow();
        assertThat(rs.rules()).hasSizeGreaterThan(100);
        for (Rule r : rs.rules()) {
            assertThat(FindingTypes.unmapped(r.tags())).as("%s: unmapped ATT&CK tags", r.name()).isEmpty();
            List<String> types = FindingTypes.of(r.tags());
            assertThat(types).as(r.name()).doesNotContain(FindingTypes.NO_TACTIC);
            assertTaxonomy(r.name(), types);
        }
    }

    @Test
    void everyAttackTagOfTheSigmaHqCloudTrailRulesMapsToAnAsffType() throws Exception {
        Path dir = shared("anchors/sigma/rules");
        List<RuleSource> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".yml")).sorted().collect(Collectors.toList())) {
                sources.add(new RuleSource(p.toString(), Files.readString(p)));
            }
        }
        LoadResult loaded = RuleLoader.load(sources, LoadOptions.defaults());
        assertThat(loaded.ruleSet().rules()).hasSizeGreaterThan(40);
        for (Rule r : loaded.ruleSet().rules()) {
            assertThat(FindingTypes.unmapped(r.tags())).as("%s: unmapped ATT&CK tags", r.name()).isEmpty();
            assertTaxonomy(r.name(), FindingTypes.of(r.tags()));
        }
    }

    @Test
    void theFindingsOfEveryBundledFixtureAreValidAsff() {
        // as the sink runs: events without a valid 12-digit account (a fixture has one) use the fallback account
        FindingMapper mapper = new FindingMapper(null, "us-east-1", null, "111122223333",
                FindingMapper.DEFAULT_MAX_FINDING_BYTES);
        Set<String> resourceTypes = asffResourceTypes();
        List<AwsSecurityFinding> findings = new ArrayList<>();
        Set<String> rules = new HashSet<>();
        Set<String> withRemediation = new HashSet<>();
        long now = System.currentTimeMillis();
        for (FixtureResult r : FixtureRunner.runBundled()) {
            for (Alert a : r.alerts()) {
                AwsSecurityFinding f = mapper.map(a, FindingTimes.at(now));
                rules.add(a.rule().name());
                assertTaxonomy(a.rule().name(), f.types());
                assertThat(f.resources()).as(a.rule().name())
                        .allSatisfy(res -> assertThat(resourceTypes).contains(res.type()));
                assertThat(f.description()).as(a.rule().name()).isEqualTo(
                        Text.truncateChars(a.rule().description().trim(), 1024));
                assertThat(f.createdAt()).isEqualTo(FindingMapper.formatTime(now));
                assertThat(f.firstObservedAt()).isNotNull();
                assertThat(f.productFields()).containsEntry("trailguard/Rule", a.rule().name())
                        .containsEntry("trailguard/RuleVersion", "1");
                assertThat(f.productFields().get("trailguard/Tags")).doesNotContain("version:");
                assertThat(f.userDefinedFields()).isEmpty();
                if (a.rule().priority().atLeast(Priority.NOTICE)) {
                    // the bundled packs guide every rule from NOTICE up (PackConventionsTest)
                    assertThat(f.remediation()).as(a.rule().name()).isNotNull();
                }
                if (a.rule().guidance().remediation() != null) {
                    withRemediation.add(a.rule().name());
                    assertThat(f.remediation().recommendation().text()).isEqualTo(a.rule().guidance().remediation());
                    assertThat(f.remediation().recommendation().url())
                            .isEqualTo(a.rule().guidance().remediationUrl()).startsWith("https://docs.aws.amazon.com/");
                }
                if (a.subject().eventName() != null) {
                    assertThat(f.action().awsApiCallAction().api()).isEqualTo(a.subject().eventName());
                }
                findings.add(f);
            }
        }
        assertThat(rules).as("rules whose fixtures raise alerts").hasSizeGreaterThan(100);
        // the tamper rules and their failed attempts carry remediation text and URL
        assertThat(withRemediation).contains("CloudTrail Logging Stopped", "CloudTrail Logging Disable Attempt Failed",
                "GuardDuty Disable Attempt Failed", "KMS Key Deletion Attempt Failed", "VPC Flow Logs Deleted");
        try (SecurityHubClient client = SecurityHubClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create(fake.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build()) {
            for (int i = 0; i < findings.size(); i += 50) {
                List<AwsSecurityFinding> batch = findings.subList(i, Math.min(findings.size(), i + 50));
                BatchImportFindingsResponse resp = client.batchImportFindings(b -> b.findings(batch));
                assertThat(resp.failedCount()).as(resp.failedFindings().toString()).isZero();
            }
        }
        assertThat(fake.violations()).isEmpty();
        Map<String, JsonNode> stored = fake.findings();
        assertThat(stored.size()).isEqualTo(findings.stream().map(AwsSecurityFinding::id).distinct().count());
    }

    @Test
    void incidentFindingsRelateTheFindingsTheirMembersWereImportedAs() throws Exception {
        List<Alert> alerts = io.trailguard.job.sink.ocsf.DetectionFindingSchemaTest.invictusAlerts();
        LoadResult loaded = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults());
        List<Alert> versions = new IncidentCorrelator(loaded.incidentPolicy(),
                new EvidenceOf(SubjectActor.INSTANCE, FindingMapper::findingId)).incidents(alerts);
        assertThat(versions).hasSizeGreaterThan(10);
        FindingMapper mapper = new FindingMapper(null, "us-east-1", null, "111122223333",
                FindingMapper.DEFAULT_MAX_FINDING_BYTES);
        List<AwsSecurityFinding> members = new ArrayList<>();
        alerts.forEach(a -> members.add(mapper.map(a)));
        List<AwsSecurityFinding> incidents = new ArrayList<>();
        versions.forEach(v -> incidents.add(mapper.map(v)));
        FakeAwsEndpoint own = new FakeAwsEndpoint(); // its own store: the other tests count theirs
        try (SecurityHubClient client = SecurityHubClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create(own.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build()) {
            List<AwsSecurityFinding> all = new ArrayList<>(members);
            all.addAll(incidents);
            for (int i = 0; i < all.size(); i += 50) {
                List<AwsSecurityFinding> batch = all.subList(i, Math.min(all.size(), i + 50));
                BatchImportFindingsResponse resp = client.batchImportFindings(b -> b.findings(batch));
                assertThat(resp.failedCount()).as(resp.failedFindings().toString()).isZero();
            }
        }
        assertThat(own.violations()).isEmpty();
        Map<String, JsonNode> stored = own.findings();
        for (int i = 0; i < versions.size(); i++) {
            Alert v = versions.get(i);
            AwsSecurityFinding f = incidents.get(i);
            assertThat(f.relatedFindings()).hasSize(Math.min(FindingRelated.MAX, v.incident().members().size()));
            for (var r : f.relatedFindings()) {
                assertThat(stored).as("related finding %s was imported", r.id()).containsKey(r.id());
                assertThat(stored.get(r.id()).path("ProductArn").asText()).isEqualTo(r.productArn());
                assertThat(stored.get(r.id()).path("GeneratorId").asText()).isNotEqualTo(v.rule().name());
            }
        }
        // the last version has more members than fit: the most severe are the ones related
        Alert last = versions.get(versions.size() - 1);
        assertThat(last.incident().members().size()).isGreaterThan(FindingRelated.MAX);
        Set<String> related = incidents.get(incidents.size() - 1).relatedFindings().stream()
                .map(r -> r.id()).collect(Collectors.toSet());
        last.incident().members().stream().filter(m -> m.priority().equals("Critical"))
                .forEach(m -> assertThat(related).contains(m.findingId()));
        own.close();
    }

    private static Path shared(String relative) {
        for (Path root : new Path[] {Paths.get("..", "shared"), Paths.get("..", "..", "shared")}) {
            if (Files.exists(root.resolve(relative))) {
                return root.resolve(relative);
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("../shared/" + relative + " is missing (required under CI=true)");
        }
        Assumptions.assumeTrue(false, "../shared is not present: skipping");
        return null;
    }
}
