package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.AlertSerializer;
import io.trailguard.job.sink.ocsf.DetectionFindingMapper;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Sigma rule's version is its {@code modified} date, else its {@code date} (as {@code yyyy-mm-dd}): ASFF
 * {@code ProductFields["trailguard/RuleVersion"]} and OCSF {@code finding_info.analytic.version} show it, and the
 * alert keeps it through its JSON line and its binary form. The fixture has one rule of each kind and one with
 * neither date.
 */
class SigmaRuleVersionTest {
    private static final String FIXTURE = "src/test/resources/sigma/versioned_rules.yml";

    @Test
    void modifiedElseDateIsTheRuleVersionInAsffAndOcsf() throws Exception {
        Map<String, Alert> alerts = alertsOfTheFixture();
        assertThat(alerts).containsOnlyKeys("Trail deleted (modified)", "Trail deleted (dated)",
                "Trail deleted (undated)");
        FindingMapper asff = new FindingMapper("us-east-1");
        DetectionFindingMapper ocsf = new DetectionFindingMapper("0.1.0-test");
        FindingTimes t = FindingTimes.at(1_800_000_000_000L);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Trail deleted (modified)", "2023-05-14");
        expected.put("Trail deleted (dated)", "2021-03-07");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Alert a = alerts.get(e.getKey());
            AwsSecurityFinding f = asff.map(a, t);
            assertThat(f.productFields()).as(e.getKey()).containsEntry("trailguard/RuleVersion", e.getValue());
            ObjectNode o = ocsf.map(a, t);
            assertThat(o.path("finding_info").path("analytic").path("version").asText()).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
        Alert undated = alerts.get("Trail deleted (undated)");
        assertThat(asff.map(undated, t).productFields()).doesNotContainKey("trailguard/RuleVersion");
        assertThat(ocsf.map(undated, t).path("finding_info").path("analytic").has("version")).isFalse();
    }

    @Test
    void theVersionSurvivesTheJsonLineAndTheBinaryForm() throws Exception {
        Alert a = alertsOfTheFixture().get("Trail deleted (modified)");
        assertThat(a.toJson()).contains("\"rule_version\":\"2023-05-14\"");
        Alert back = Alert.fromJson(a.toJson());
        assertThat(back.rule().version()).isEqualTo("2023-05-14");
        assertThat(back).isEqualTo(a);

        DataOutputSerializer out = new DataOutputSerializer(256);
        AlertSerializer.INSTANCE.serialize(a, out);
        Alert read = AlertSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read.rule().version()).isEqualTo("2023-05-14");
        assertThat(read).isEqualTo(a);
    }

    private static Map<String, Alert> alertsOfTheFixture() throws Exception {
        RuleSet rules = RuleLoader.load(List.of(RuleSource.of(Paths.get(FIXTURE))), LoadOptions.defaults()).orThrow();
        CloudTrailEvent e = CloudTrailEvent.ofRecord((ObjectNode) Json.mapper().readTree(
                "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-06-01T10:00:00Z\",\"eventSource\":"
                        + "\"cloudtrail.amazonaws.com\",\"eventName\":\"DeleteTrail\",\"awsRegion\":\"us-east-1\","
                        + "\"eventID\":\"3e2d4c5b-7f60-4182-9d0e-9f8a7b6c5d43\",\"recipientAccountId\":\"111122223333\","
                        + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/eve\","
                        + "\"accountId\":\"111122223333\"}}"), 1);
        Map<String, Alert> byRule = new LinkedHashMap<>();
        for (Alert a : rules.evaluate(e, rules.newContext())) {
            byRule.put(a.rule().name(), a);
        }
        return byRule;
    }
}
