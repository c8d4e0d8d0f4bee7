package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.cli.InvictusExpectation;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.FindingTimeline;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.AttackTags;
import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.ResourceKind;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.IncidentCorrelator;
import io.trailguard.rules.incident.SubjectActor;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every OCSF Detection Finding Trailguard writes for the bundled rules' fixtures and for the incident of the
 * invictus-ir hour validates against the vendored OCSF 1.8.0 schema ({@link OcsfSchema}); the validator itself
 * fails on a missing required attribute, an unknown attribute, a wrong type, enum id or caption and an attribute
 * of a profile the finding does not declare.
 */
public class DetectionFindingSchemaTest {
    public static final String SCHEMA = "ocsf-schema-1.8.0";
    public static final String CLASS = "events/findings/detection_finding.json";
    private static final OcsfSchema OCSF = OcsfSchema.load(SCHEMA);
    private final DetectionFindingMapper mapper = new DetectionFindingMapper("0.1.0-test");

    @Test
    void theMapperWritesTheVendoredSchemasVersion() {
        assertThat(DetectionFindingMapper.OCSF_VERSION).isEqualTo(OCSF.version());
    }

    @Test
    void theFindingsOfEveryBundledFixtureValidate() {
        Set<String> rules = new HashSet<>();
        int withAttacks = 0;
        int withResources = 0;
        long now = 1_800_000_000_000L;
        for (FixtureResult r : FixtureRunner.runBundled()) {
            for (Alert a : r.alerts()) {
                ObjectNode f = mapper.map(a, FindingTimes.at(now));
                assertThat(OCSF.validate(f, CLASS)).as("%s: %s", a.rule().name(), f).isEmpty();
                rules.add(a.rule().name());
                assertThat(f.path("class_uid").asInt()).isEqualTo(2004);
                assertThat(f.path("activity_id").asInt()).isEqualTo(1);
                assertThat(f.path("finding_info").path("uid").asText()).isEqualTo(FindingMapper.findingId(a));
                assertThat(f.path("finding_info").path("analytic").path("name").asText()).isEqualTo(a.rule().name());
                assertThat(f.path("finding_info").path("analytic").path("version").asText())
                        .as("every bundled rule carries a version:").isEqualTo("1");
                assertThat(f.path("metadata").path("labels").toString()).doesNotContain("version:");
                assertThat(f.path("severity").asText()).isEqualTo(expectedSeverity(a));
                assertThat(f.path("time").asLong()).isEqualTo(now);
                assertThat(f.path("finding_info").path("first_seen_time").asLong())
                        .isEqualTo(a.rate() != null ? a.rate().firstTime() : a.event().timeMillis());
                if (!AttackTags.techniques(a.rule().tags()).isEmpty()) {
                    withAttacks++;
                    assertThat(f.path("finding_info").path("attacks").size()).isPositive();
                }
                if (!a.subject().resources().isEmpty()) {
                    withResources++;
                    assertThat(f.path("resources").size()).isEqualTo(a.subject().resources().size());
                }
                if (a.subject().eventName() != null) {
                    assertThat(f.path("api").path("operation").asText()).isEqualTo(a.subject().eventName());
                }
                if (a.subject().principalArn() != null) {
                    assertThat(f.path("evidences").get(0).path("actor").path("user").path("uid").asText())
                            .isEqualTo(a.subject().principalArn());
                }
            }
        }
        assertThat(rules).as("rules whose fixtures raise alerts").hasSizeGreaterThan(100);
        assertThat(withAttacks).isGreaterThan(100);
        assertThat(withResources).isGreaterThan(50);
    }

    private static String expectedSeverity(Alert a) {
        switch (a.rule().priority()) {
            case EMERGENCY:
            case ALERT:
            case CRITICAL:
                return "Critical";
            case ERROR:
                return "High";
            case WARNING:
                return "Medium";
            case NOTICE:
                return "Low";
            default:
                return "Informational";
        }
    }

    @Test
    void theInvictusIncidentValidatesAndRelatesItsMembersByTheirFindingIds() throws Exception {
        List<Alert> alerts = invictusAlerts();
        LoadResult r = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults());
        List<Alert> versions = new IncidentCorrelator(r.incidentPolicy(),
                new EvidenceOf(SubjectActor.INSTANCE, FindingMapper::findingId)).incidents(alerts);
        assertThat(versions).hasSizeGreaterThan(10);
        Set<String> memberFindings = new HashSet<>();
        for (Alert a : alerts) {
            ObjectNode f = mapper.map(a, FindingTimes.at(a.event().timeMillis()));
            assertThat(OCSF.validate(f, CLASS)).as(a.rule().name()).isEmpty();
            memberFindings.add(f.path("finding_info").path("uid").asText());
        }
        Set<String> incidentIds = new HashSet<>();
        for (Alert v : versions) {
            ObjectNode f = mapper.map(v, FindingTimes.at(v.event().timeMillis()));
            assertThat(OCSF.validate(f, CLASS)).as(f.toString()).isEmpty();
            incidentIds.add(f.path("finding_info").path("uid").asText());
            assertThat(f.path("activity_id").asInt()).isEqualTo(v.incident().version() == 1 ? 1 : 2);
            assertThat(f.path("finding_info").path("analytic").path("type").asText()).isEqualTo("Behavioral");
            JsonNode related = f.path("finding_info").path("related_events");
            assertThat(related.size()).isEqualTo(v.incident().members().size());
            List<String> uids = new ArrayList<>();
            related.forEach(e -> uids.add(e.path("uid").asText()));
            assertThat(memberFindings).containsAll(uids);
            for (IncidentMember m : v.incident().members()) {
                assertThat(uids).contains(m.findingId());
            }
        }
        assertThat(incidentIds).as("every version is one finding, updated").hasSize(1);
    }

    @Test
    void aRateFindingThatFiresAgainIsAnUpdate() {
        Alert rate = null;
        for (FixtureResult r : FixtureRunner.runBundled()) {
            for (Alert a : r.alerts()) {
                if (a.rate() != null && rate == null) {
                    rate = a;
                }
            }
        }
        assertThat(rate).isNotNull();
        FindingTimes created = FindingTimeline.next(null, 1000);
        ObjectNode first = mapper.map(rate, created);
        ObjectNode again = mapper.map(rate, FindingTimeline.next(created, 5000));
        assertThat(first.path("activity_id").asInt()).isEqualTo(1);
        assertThat(again.path("activity_id").asInt()).isEqualTo(2);
        assertThat(again.path("type_uid").asLong()).isEqualTo(200402L);
        assertThat(again.path("finding_info").path("created_time").asLong()).isEqualTo(1000);
        assertThat(again.path("finding_info").path("modified_time").asLong()).isEqualTo(5000);
        assertThat(OCSF.validate(again, CLASS)).isEmpty();
    }

    @Test
    void theValidatorRejectsWhatTheSchemaForbids() {
        Alert a = FixtureRunner.runBundled().stream().flatMap(r -> r.alerts().stream())
                .filter(x -> !x.subject().resources().isEmpty() && x.subject().principalArn() != null)
                .findFirst().orElseThrow();
        ObjectNode good = mapper.map(a, FindingTimes.at(1000));
        assertThat(OCSF.validate(good, CLASS)).isEmpty();

        ObjectNode f = good.deepCopy();
        ((ObjectNode) f.get("finding_info")).remove("uid");
        assertThat(OCSF.validate(f, CLASS)).containsExactly("$.finding_info.uid: required attribute is missing");

        f = good.deepCopy();
        f.remove("metadata");
        assertThat(OCSF.validate(f, CLASS)).contains("$.metadata: required attribute is missing");

        f = good.deepCopy();
        ((ObjectNode) f.get("finding_info")).put("rule_name", "x");
        assertThat(OCSF.validate(f, CLASS)).containsExactly("$.finding_info.rule_name: unknown attribute");

        f = good.deepCopy();
        f.put("principal", "x");
        assertThat(OCSF.validate(f, CLASS)).containsExactly("$.principal: unknown attribute");

        f = good.deepCopy();
        f.put("severity_id", 7);
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).startsWith("$.severity_id: 7 is not one of"));

        f = good.deepCopy();
        f.put("severity", "Severe");
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).startsWith("$.severity_id: severity 'Severe'"));

        f = good.deepCopy();
        f.put("time", "2026-01-01T00:00:00Z");
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).startsWith("$.time: timestamp_t needs a long"));

        f = good.deepCopy();
        f.put("type_uid", 200403L);
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).startsWith("$.type_uid:"));

        f = good.deepCopy();
        ((ObjectNode) f.get("evidences").get(0)).putObject("src_endpoint").put("ip", "not-an-ip");
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).contains("ip_t pattern"));

        f = good.deepCopy();
        ((ObjectNode) f.get("evidences").get(0).get("actor").get("user")).put("credential_uid", "AKIA");
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).contains("deprecated since 1.6.0"));

        // without the cloud profile, cloud and the resources' region are attributes of an undeclared profile
        f = good.deepCopy();
        ArrayNode profiles = (ArrayNode) f.get("metadata").get("profiles");
        profiles.removeAll();
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).startsWith("$.cloud: attribute of profile 'cloud'"))
                .anySatisfy(e -> assertThat(e).startsWith("$.resources[0].provider: attribute of profile 'cloud'"));

        f = good.deepCopy();
        ((ObjectNode) f.get("finding_info").get("attacks").get(0)).removeAll();
        assertThat(OCSF.validate(f, CLASS)).anySatisfy(e -> assertThat(e).startsWith("$.finding_info.attacks[0]: needs at least one"));
    }

    @Test
    void everyResourceKindHasAnOcsfType() {
        for (ResourceKind k : ResourceKind.values()) {
            assertThat(OcsfResourceTypes.of(k)).as(k.name()).isNotBlank();
        }
    }

    /** The bundled packs' alerts over the invictus-ir hour (plain Java, no incident stage). */
    public static List<Alert> invictusAlerts() throws Exception {
        return InvictusExpectation.alerts(Paths.get("..", "rules", "fixtures", "data", "invictus"));
    }
}
