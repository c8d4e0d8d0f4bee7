package io.trailguard.job.sink.aws;

import io.trailguard.job.testing.AlertParts;
import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.Resource;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.trailguard.job.sink.aws.TestAlerts.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

class FindingMapperTest {
    private final FindingMapper mapper = new FindingMapper("eu-central-1");

    @Test
    void everyRequiredFieldOfASingleEventAlert() {
        Alert a = TestAlerts.single("S3 bucket policy changed", "evt-1");
        AwsSecurityFinding f = mapper.map(a);

        assertThat(f.schemaVersion()).isEqualTo("2018-10-08");
        assertThat(f.id()).matches("trailguard/[0-9a-f]{64}");
        assertThat(f.productArn())
                .isEqualTo("arn:aws:securityhub:eu-central-1:" + ACCOUNT + ":product/" + ACCOUNT + "/default");
        assertThat(f.generatorId()).isEqualTo("S3 bucket policy changed");
        assertThat(f.awsAccountId()).isEqualTo(ACCOUNT);
        assertThat(f.types()).containsExactly("TTPs/Privilege Escalation", "TTPs/Persistence");
        assertThat(f.findingProviderFields().types()).isEqualTo(f.types());
        assertThat(f.createdAt()).isEqualTo("2023-11-14T22:13:20.000Z").isEqualTo(f.updatedAt());
        assertThat(f.severity().labelAsString()).isEqualTo("MEDIUM");
        assertThat(f.severity().original()).isEqualTo("Warning");
        assertThat(f.findingProviderFields().severity().labelAsString()).isEqualTo("MEDIUM");
        assertThat(f.title()).isEqualTo("S3 bucket policy changed");
        assertThat(f.description()).isEqualTo(a.output());
        assertThat(f.productName()).isEqualTo("Trailguard");
        assertThat(f.recordStateAsString()).isEqualTo("ACTIVE");

        Map<String, String> types = resourceTypes(f);
        assertThat(types).containsEntry("arn:aws:iam::" + ACCOUNT + ":user/alice", "AwsIamUser")
                .containsEntry("arn:aws:s3:::secret-bucket", "AwsS3Bucket");
        assertThat(f.resources().get(0).resourceRole()).isEqualTo("Actor");
        assertThat(f.resources().get(0).details().awsIamUser().userName()).isEqualTo("alice");
        assertThat(f.resources()).allSatisfy(r -> {
            assertThat(r.partitionAsString()).isEqualTo("aws");
            assertThat(r.region()).isEqualTo("eu-west-1");
        });

        assertThat(f.productFields())
                .containsEntry("trailguard/EventId", "evt-1")
                .containsEntry("trailguard/SourceIp", "203.0.113.7")
                .containsEntry("trailguard/UserAgent", "aws-cli/2.15.0")
                .containsEntry("trailguard/Region", "eu-west-1")
                .containsEntry("trailguard/EventAccount", ACCOUNT)
                .containsEntry("trailguard/Tags", "aws,attack.privilege-escalation,mitre_persistence")
                .containsEntry("trailguard/Field/ct.name", "PutBucketPolicy")
                .containsEntry("ProviderName", "Trailguard");
    }

    @Test
    void idIsDeterministicPerRuleAndEvent() {
        String id = FindingMapper.findingId(TestAlerts.single("R", "evt-1"));
        assertThat(FindingMapper.findingId(TestAlerts.single("R", "evt-1"))).isEqualTo(id);
        assertThat(mapper.map(TestAlerts.single("R", "evt-1")).id()).isEqualTo(id);
        assertThat(FindingMapper.findingId(TestAlerts.single("R", "evt-2"))).isNotEqualTo(id);
        assertThat(FindingMapper.findingId(TestAlerts.single("R2", "evt-1"))).isNotEqualTo(id);
        // field boundaries are unambiguous
        assertThat(FindingMapper.findingId(TestAlerts.single("Ra", "b")))
                .isNotEqualTo(FindingMapper.findingId(TestAlerts.single("R", "ab")));
        // the JSON round trip (checkpointed state, replay contract) keeps the id
        Alert a = TestAlerts.single("R", "evt-1");
        assertThat(FindingMapper.findingId(Alert.fromJson(a.toJson()))).isEqualTo(id);
    }

    @Test
    void rateRuleIdIsRuleGroupAndWindowStart() {
        String p = "arn:aws:iam::" + ACCOUNT + ":user/bob";
        long w = TestAlerts.T0;
        String id = FindingMapper.findingId(TestAlerts.rate("Many failures", p, w, 6));
        // the same window firing again with more events updates the same finding
        assertThat(FindingMapper.findingId(TestAlerts.rate("Many failures", p, w, 9))).isEqualTo(id);
        assertThat(FindingMapper.findingId(TestAlerts.rate("Many failures", p, w + 300_000, 6))).isNotEqualTo(id);
        assertThat(FindingMapper.findingId(TestAlerts.rate("Many failures", p + "x", w, 6))).isNotEqualTo(id);
        assertThat(FindingMapper.findingId(TestAlerts.rate("Other", p, w, 6))).isNotEqualTo(id);
        Alert rate = TestAlerts.rate("Many failures", p, w, 6);
        assertThat(FindingMapper.findingId(Alert.fromJson(rate.toJson()))).isEqualTo(id);

        AwsSecurityFinding f = mapper.map(rate);
        assertThat(f.severity().labelAsString()).isEqualTo("CRITICAL");
        assertThat(f.types()).containsExactly("TTPs/Discovery");
        assertThat(f.firstObservedAt()).isEqualTo(FindingMapper.formatTime(w + 1000));
        assertThat(f.lastObservedAt()).isEqualTo(FindingMapper.formatTime(w + 2000));
        assertThat(f.productFields()).containsEntry("trailguard/Aggregate/Count", "6")
                .containsEntry("trailguard/Aggregate/WindowStart", TestAlerts.iso(w))
                .containsEntry("trailguard/Aggregate/Group", "ct.user.arn=" + p);
        // the group's principal becomes the actor resource
        assertThat(resourceTypes(f)).containsEntry(p, "AwsIamUser");
        assertThat(f.awsAccountId()).isEqualTo(ACCOUNT);
    }

    @Test
    void severityFromFalcoPrioritiesAndSigmaLevels() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Emergency", "CRITICAL");
        expected.put("Alert", "CRITICAL");
        expected.put("Critical", "CRITICAL");
        expected.put("Error", "HIGH");
        expected.put("Warning", "MEDIUM");
        expected.put("Notice", "LOW");
        expected.put("Informational", "INFORMATIONAL");
        expected.put("info", "INFORMATIONAL");
        expected.put("Debug", "INFORMATIONAL");
        expected.put("critical", "CRITICAL");
        expected.put("high", "HIGH");
        expected.put("medium", "MEDIUM");
        expected.put("low", "LOW");
        expected.put("informational", "INFORMATIONAL");
        expected.put("bogus", "MEDIUM");
        expected.put(null, "MEDIUM");
        expected.forEach((p, label) -> assertThat(FindingMapper.severityLabel(p)).as(p).isEqualTo(label));
    }

    @Test
    void typesFromTacticTags() {
        assertThat(FindingMapper.types(Arrays.asList("attack.privilege-escalation", "attack.defense-evasion",
                "attack.t1078", "privilege_escalation")))
                .containsExactly("TTPs/Privilege Escalation", "TTPs/Defense Evasion");
        assertThat(FindingMapper.types(Arrays.asList("persistence", "credential_access", "discovery",
                "exfiltration", "impact", "initial_access", "execution", "lateral_movement", "collection",
                "command_and_control")))
                .containsExactly("TTPs/Persistence", "TTPs/Credential Access", "TTPs/Discovery",
                        "Effects/Data Exfiltration", "Effects", "TTPs/Initial Access", "TTPs/Execution",
                        "TTPs/Lateral Movement", "TTPs/Collection", "TTPs/Command and Control");
        assertThat(FindingMapper.types(Arrays.asList("mitre_credential_access", "TA0005", "Attack.Lateral-Movement")))
                .containsExactly("TTPs/Credential Access", "TTPs/Defense Evasion", "TTPs/Lateral Movement");
        assertThat(FindingMapper.types(Arrays.asList("aws", "cloudtrail", "T1098")))
                .containsExactly(FindingMapper.DEFAULT_TYPE);
        assertThat(FindingMapper.types(Collections.emptyList())).containsExactly("Unusual Behaviors/User");
    }

    @Test
    void resourcesFromArnsInstanceIdsAndFallback() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ct.user.arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/Deployer/session-1");
        fields.put("ct.request", "i-0123456789abcdef0");
        fields.put("ct.resources", Arrays.asList("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/abc",
                "arn:aws:iam::" + ACCOUNT + ":role/service/Ops", "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/t"));
        fields.put("iam.role", "NewRole");
        Alert a = AlertParts.of(TestAlerts.iso(TestAlerts.T0), TestAlerts.T0, "R", "Notice", "aws_cloudtrail",
                Collections.emptyList(), "out", fields, "h", "e1", ACCOUNT, "cn-north-1");
        AwsSecurityFinding f = mapper.withRegion("cn-north-1").map(a);
        Map<String, String> types = resourceTypes(f);
        assertThat(types)
                .containsEntry("arn:aws:iam::" + ACCOUNT + ":role/Deployer", "AwsIamRole")
                .containsEntry("arn:aws-cn:iam::" + ACCOUNT + ":role/NewRole", "AwsIamRole")
                .containsEntry("arn:aws-cn:ec2:cn-north-1:" + ACCOUNT + ":instance/i-0123456789abcdef0",
                        "AwsEc2Instance")
                .containsEntry("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/abc", "AwsKmsKey")
                .containsEntry("arn:aws:iam::" + ACCOUNT + ":role/service/Ops", "AwsIamRole")
                .containsEntry("arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/t", "Other");
        Resource session = f.resources().get(0);
        assertThat(session.details().other()).containsEntry("SessionName", "session-1");
        assertThat(f.productArn()).startsWith("arn:aws-cn:securityhub:cn-north-1:");

        Alert bare = AlertParts.of(TestAlerts.iso(TestAlerts.T0), TestAlerts.T0, "R", "Notice", "aws_cloudtrail",
                Collections.emptyList(), "out", Collections.emptyMap(), "h", "e1", ACCOUNT, "us-east-1");
        List<Resource> fallback = mapper.map(bare).resources();
        assertThat(fallback).hasSize(1);
        assertThat(fallback.get(0).type()).isEqualTo("AwsAccount");
        assertThat(fallback.get(0).id()).isEqualTo("AWS::::Account:" + ACCOUNT);
    }

    @Test
    void multiAccountEventsLandOnTheirAccountUnlessOverridden() {
        Alert other = Alert.fromJson(TestAlerts.single("R", "e").toJson().replace(ACCOUNT, "210987654321"));
        AwsSecurityFinding f = mapper.map(other);
        assertThat(f.awsAccountId()).isEqualTo("210987654321");
        assertThat(f.productArn()).isEqualTo(
                "arn:aws:securityhub:eu-central-1:210987654321:product/210987654321/default");

        FindingMapper central = new FindingMapper(null, "eu-central-1", "999999999999", null, 100_000);
        AwsSecurityFinding c = central.map(other);
        assertThat(c.awsAccountId()).isEqualTo("999999999999");
        assertThat(c.productArn()).contains(":999999999999:product/999999999999/default");
        assertThat(c.productFields()).containsEntry("trailguard/EventAccount", "210987654321");

        FindingMapper fixedArn = new FindingMapper("arn:aws:securityhub:us-east-1:111111111111:product/acme/x",
                "eu-central-1", null, null, 100_000);
        assertThat(fixedArn.map(other).productArn()).isEqualTo("arn:aws:securityhub:us-east-1:111111111111:product/acme/x");

        Alert noAccount = AlertParts.of(TestAlerts.iso(TestAlerts.T0), TestAlerts.T0, "R", "Notice", "s",
                Collections.emptyList(), "o", Collections.emptyMap(), "h", "e", null, null);
        assertThat(new FindingMapper(null, "us-east-1", null, "555555555555", 100_000).map(noAccount).awsAccountId())
                .isEqualTo("555555555555");
    }

    @Test
    void hostileTextIsCutSafelyAndStaysWithinLimits() {
        Alert a = TestAlerts.hostile("evt-h", 1_048_576);
        AwsSecurityFinding f = mapper.map(a);

        assertThat(f.title()).hasSizeLessThanOrEqualTo(256).doesNotContain("\n", "\u0000").startsWith("Hostile");
        assertThat(f.generatorId()).hasSizeLessThanOrEqualTo(512).doesNotContain("\n");
        assertThat(f.description()).hasSizeLessThanOrEqualTo(1024).endsWith(Text.ELLIPSIS)
                .startsWith(Text.repairSurrogates(a.output()).substring(0, 100));
        assertThat(f.productFields()).hasSizeLessThanOrEqualTo(50);
        f.productFields().forEach((k, v) -> {
            assertThat(k.length()).isBetween(1, 128);
            assertThat(v.length()).isBetween(1, 2048);
            assertThat(FakeAwsEndpoint.hasLoneSurrogate(k) || FakeAwsEndpoint.hasLoneSurrogate(v)).isFalse();
        });
        assertThat(f.productFields().get("trailguard/UserAgent")).hasSizeBetween(2040, 2048).startsWith("Mozilla/5.0 %s %n %%");
        assertThat(f.productFields().get("trailguard/SourceIp")).isEqualTo("%s%s%s");
        for (String s : Arrays.asList(f.title(), f.description(), f.generatorId(), f.id())) {
            assertThat(FakeAwsEndpoint.hasLoneSurrogate(s)).as(s).isFalse();
        }
        assertThat(f.resources()).allSatisfy(r -> assertThat(r.id()).doesNotContain("\n").hasSizeLessThan(513));
        assertThat(SdkJsonSize.of(f)).isLessThanOrEqualTo(mapper.maxFindingBytes());
        assertThat(f.types()).containsExactly("TTPs/Defense Evasion");
        assertThat(f.severity().labelAsString()).isEqualTo("HIGH");
    }

    @Test
    void findingsStayUnderTheByteBudgetWithManyLargeFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < 80; i++) {
            fields.put("field." + i + TestAlerts.repeat("k", 200), TestAlerts.repeat("\u0001\"", 3000));
        }
        Alert a = AlertParts.of(TestAlerts.iso(TestAlerts.T0), TestAlerts.T0, "R", "Notice", "s",
                Collections.emptyList(), "o", fields, "h", "e", ACCOUNT, "us-east-1");
        FindingMapper small = new FindingMapper(null, "us-east-1", null, null, 40_000);
        AwsSecurityFinding f = small.map(a);
        assertThat(SdkJsonSize.of(f)).isLessThanOrEqualTo(40_000);
        assertThat(f.productFields()).containsKey("trailguard/EventId");
        f.productFields().keySet().forEach(k -> assertThat(k.length()).isLessThanOrEqualTo(128));
    }

    @Test
    void blankRuleAndOutputGetPlaceholders() {
        Alert a = AlertParts.of(TestAlerts.iso(TestAlerts.T0), TestAlerts.T0, " \n ", "Notice", "s",
                Collections.emptyList(), "\n\t ", Collections.emptyMap(), "h", "e", ACCOUNT, "us-east-1");
        AwsSecurityFinding f = mapper.map(a);
        assertThat(f.title()).isEqualTo("unnamed rule");
        assertThat(f.generatorId()).isEqualTo("unnamed rule");
        assertThat(f.description()).isEqualTo("Rule unnamed rule matched event e");
    }

    private static Map<String, String> resourceTypes(AwsSecurityFinding f) {
        return f.resources().stream().collect(Collectors.toMap(Resource::id, Resource::type, (x, y) -> x,
                LinkedHashMap::new));
    }
}
