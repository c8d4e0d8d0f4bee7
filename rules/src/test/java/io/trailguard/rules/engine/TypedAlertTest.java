package io.trailguard.rules.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.trailguard.rules.testing.Events.alerts;
import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypedAlertTest {
    static final String RULES = "- rule: Stop\n"
            + "  desc: A trail was stopped.\n"
            + "  condition: ct.name = StopLogging\n"
            + "  output: stopped %ct.request.name by %ct.user.arn\n"
            + "  priority: CRITICAL\n"
            + "  tags: [aws, attack.defense-impairment, \"remediation:Start logging again.\",\n"
            + "         \"remediation_url:https://docs.aws.amazon.com/awscloudtrail/latest/userguide/x.html\",\n"
            + "         \"ref:https://attack.mitre.org/techniques/T1562/008/\"]\n"
            + "  source: aws_cloudtrail\n";

    static final CloudTrailEvent STOP = q("{'eventName':'StopLogging','eventSource':'cloudtrail.amazonaws.com',"
            + "'awsRegion':'eu-west-1','sourceIPAddress':'203.0.113.9','userAgent':'aws-cli/2',"
            + "'eventTime':'2024-05-14T09:30:00Z','eventID':'ev-1','recipientAccountId':'111122223333',"
            + "'errorCode':'TrailNotFoundException',"
            + "'userIdentity':{'type':'AssumedRole','arn':'arn:aws:sts::111122223333:assumed-role/Admin/mallory',"
            + "'accountId':'111122223333','accessKeyId':'ASIAEXAMPLE'},"
            + "'requestParameters':{'name':'main-trail'}}");

    private static Alert stopAlert() {
        LoadResult r = load(RULES, LoadOptions.defaults().bundleVersion("v7"));
        List<Alert> a = alerts(r.ruleSet(), STOP);
        assertThat(a).hasSize(1);
        return a.get(0);
    }

    @Test
    void theEngineExtractsTheSubjectOnceFromTheEvent() {
        Alert a = stopAlert();
        EventSubject s = a.subject();
        assertThat(s.principalArn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/Admin/mallory");
        assertThat(s.principalType()).isEqualTo("AssumedRole");
        assertThat(s.principalName()).isEqualTo("mallory");
        assertThat(s.accessKeyId()).isEqualTo("ASIAEXAMPLE");
        assertThat(s.sourceIp()).isEqualTo("203.0.113.9");
        assertThat(s.userAgent()).isEqualTo("aws-cli/2");
        assertThat(s.eventName()).isEqualTo("StopLogging");
        assertThat(s.errorCode()).isEqualTo("TrailNotFoundException");
        assertThat(s.resources()).containsExactly(
                new TargetResource(ResourceKind.CLOUDTRAIL_TRAIL, "main-trail", "requestParameters/name"));
    }

    @Test
    void ruleIdentityCarriesPriorityDescriptionGuidanceAndBundleVersion() {
        RuleIdentity r = stopAlert().rule();
        assertThat(r.name()).isEqualTo("Stop");
        assertThat(r.priority()).isEqualTo(Priority.CRITICAL);
        assertThat(r.description()).isEqualTo("A trail was stopped.");
        assertThat(r.bundleVersion()).isEqualTo("v7");
        assertThat(r.guidance().remediation()).isEqualTo("Start logging again.");
        assertThat(r.guidance().remediationUrl()).startsWith("https://docs.aws.amazon.com/");
        assertThat(r.guidance().references()).containsExactly("https://attack.mitre.org/techniques/T1562/008/");
    }

    @Test
    void jsonLineKeepsTheContractAndRoundTripsEveryPart() throws Exception {
        Alert a = stopAlert();
        JsonNode j = Json.mapper().readTree(a.toJson());
        assertThat(j.get("priority").asText()).isEqualTo("Critical");
        assertThat(j.get("rule").asText()).isEqualTo("Stop");
        assertThat(j.get("event_id").asText()).isEqualTo("ev-1");
        assertThat(j.at("/subject/resources/0/kind").asText()).isEqualTo("cloudtrail_trail");
        assertThat(j.at("/rule_info/bundle_version").asText()).isEqualTo("v7");
        Alert back = Alert.fromJson(a.toJson());
        assertThat(back).isEqualTo(a);
        assertThat(back.toJson()).isEqualTo(a.toJson());
    }

    @Test
    void aLineWithoutTheNewPartsReadsBackWithAnEmptySubject() {
        String old = "{\"time\":\"2024-05-14T09:30:00.000000000Z\",\"rule\":\"Stop\",\"priority\":\"Critical\","
                + "\"source\":\"aws_cloudtrail\",\"tags\":[\"aws\"],\"output\":\"o\",\"output_fields\":{},"
                + "\"hostname\":\"h\",\"event_id\":\"ev-1\",\"account\":\"111122223333\",\"region\":\"eu-west-1\"}";
        Alert a = Alert.fromJson(old);
        assertThat(a.subject().isEmpty()).isTrue();
        assertThat(a.rule().priority()).isEqualTo(Priority.CRITICAL);
        assertThat(a.rule().guidance().isEmpty()).isTrue();
        assertThat(a.toJson()).isEqualTo(old);
    }

    @Test
    void anUnknownPriorityIsRefused() {
        String bad = "{\"time\":\"2024-05-14T09:30:00Z\",\"rule\":\"Stop\",\"priority\":\"Severe\"}";
        assertThatThrownBy(() -> Alert.fromJson(bad)).hasMessageContaining("unknown priority Severe");
    }

    @Test
    void rateAlertsCarryATypedSummaryAndASubjectFromTheirGroup() {
        String yaml = "- rule: Burst\n  desc: many\n  condition: ct.name = StopLogging\n"
                + "  output: burst by %ct.user.arn from %ct.srcip\n  priority: WARNING\n  source: aws_cloudtrail\n"
                + "  aggregate: {type: event_count, group_by: [ct.user.arn], gte: 2, timespan: 5m}\n";
        RuleSet rs = load(yaml).ruleSet();
        Rule rule = rs.rule("Burst");
        io.trailguard.rules.aggregate.WindowState state = new io.trailguard.rules.aggregate.WindowState();
        List<io.trailguard.rules.aggregate.Firing> firings = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CloudTrailEvent e = q("{'eventName':'StopLogging','eventSource':'cloudtrail.amazonaws.com',"
                    + "'sourceIPAddress':'203.0.113.9','eventTime':'2024-05-14T09:3" + i + ":00Z','eventID':'b" + i
                    + "','userIdentity':{'arn':'arn:aws:iam::111122223333:user/alice'}}");
            List<io.trailguard.rules.aggregate.Signal> signals = new java.util.ArrayList<>();
            rs.evaluate(e, rs.newContext(), signals);
            firings.addAll(io.trailguard.rules.aggregate.RateWindow.add(state, rule.aggregate(),
                    io.trailguard.rules.aggregate.WindowEntry.of(signals.get(0))).firings);
        }
        assertThat(firings).hasSize(1);
        Alert a = rs.rateAlert(rule, new String[] {"arn:aws:iam::111122223333:user/alice"}, firings.get(0));
        RateSummary r = a.rate();
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.group()).containsEntry("ct.user.arn", "arn:aws:iam::111122223333:user/alice");
        assertThat(r.eventIds()).containsExactly("b0", "b1");
        assertThat(a.subject().principalArn()).isEqualTo("arn:aws:iam::111122223333:user/alice");
        assertThat(a.subject().sourceIp()).isEqualTo("203.0.113.9");
        assertThat(Alert.fromJson(a.toJson())).isEqualTo(a);
    }
}
