package io.trailguard.rules.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import org.junit.jupiter.api.Test;

import static io.trailguard.rules.testing.Events.alerts;
import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;

/** Falco output formatting (reference/falco.md 3.10) and the alert JSON line. */
class OutputFormatTest {
    static final CloudTrailEvent E = q("{'eventName':'CreateUser','eventSource':'iam.amazonaws.com',"
            + "'awsRegion':'us-east-1','sourceIPAddress':'1.2.3.4','eventTime':'2023-07-10T11:42:05.123Z',"
            + "'userIdentity':{'type':'IAMUser','userName':'alice','accountId':'111122223333'},"
            + "'requestParameters':{'userName':'%ct.user 100%\\n\\u001b[31mred','count':3},"
            + "'eventID':'e-1','recipientAccountId':'444455556666','resources':[{'ARN':'a'},{'ARN':'b'}]}");

    static Alert alert(String output) {
        String yaml = "- rule: R\n  desc: d\n  condition: ct.name = CreateUser\n  output: '" + output.replace("'", "''")
                + "'\n  priority: notice\n  tags: [b, a, b]\n  source: aws_cloudtrail\n";
        RuleSet rs = load(yaml).orThrow();
        return alerts(rs, E).get(0);
    }

    @Test
    void fieldsArgumentsAndAbsentValues() {
        Alert a = alert("user=%ct.user err=%ct.error arg=%json.value[/requestParameters/count] end");
        assertThat(a.output()).isEqualTo("user=alice err=<NA> arg=3 end");
        assertThat(a.outputFields()).containsEntry("ct.user", "alice").containsEntry("ct.error", null)
                .containsEntry("json.value[/requestParameters/count]", "3");
    }

    @Test
    void widthPadsAndTruncates() {
        assertThat(alert("[%8ct.user]").output()).isEqualTo("[alice   ]");
        assertThat(alert("[%3ct.user]").output()).isEqualTo("[ali]");
    }

    @Test
    void transformersAndLongestFieldPrefix() {
        assertThat(alert("%toupper(ct.user)").output()).isEqualTo("ALICE");
        assertThat(alert("%ct.user.").output()).isEqualTo("alice.");
        assertThat(alert("(%ct.user)").output()).isEqualTo("(alice)");
        assertThat(alert("%ct.user.accountid/%ct.user").output()).isEqualTo("111122223333/alice");
        assertThat(alert("%ct.user.nothing").output()).isEqualTo("alice.nothing");
    }

    @Test
    void multiValuedFieldsPrintAsFalcoLists() {
        Alert a = alert("%json.path[$.resources[*].ARN]");
        assertThat(a.output()).isEqualTo("(a,b)");
        assertThat(a.toJsonNode().get("output_fields").get("json.path[$.resources[*].ARN]").isArray()).isTrue();
    }

    @Test
    void valuesAreNeverReExpanded() {
        Alert a = alert("name=%ct.request.username");
        assertThat(a.output()).isEqualTo("name=%ct.user 100%\n\u001b[31mred");
        String line = a.toJson();
        assertThat(line).doesNotContain("\n").doesNotContain("\u001b");
        assertThat(Json.compact(a.toJsonNode().get("output"))).contains("\\n").contains("\\u001B");
    }

    @Test
    void alertJsonCarriesTheContractFields() throws Exception {
        JsonNode j = Json.mapper().readTree(alert("o").toJson());
        // the contract fields first and unchanged; then what the typed alert adds
        assertThat(j.fieldNames()).toIterable().containsExactly("time", "rule", "priority", "source", "tags",
                "output", "output_fields", "hostname", "event_id", "account", "region", "subject", "rule_info");
        assertThat(j.get("time").asText()).isEqualTo("2023-07-10T11:42:05.123000000Z");
        assertThat(j.get("priority").asText()).isEqualTo("Notice");
        assertThat(j.get("source").asText()).isEqualTo("aws_cloudtrail");
        assertThat(j.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(j.get("event_id").asText()).isEqualTo("e-1");
        assertThat(j.get("account").asText()).isEqualTo("444455556666");
        assertThat(j.get("region").asText()).isEqualTo("us-east-1");
        assertThat(j.get("hostname").asText()).isNotEmpty();
        Alert back = Alert.fromJson(j.toString());
        assertThat(back.toJson()).isEqualTo(j.toString());
    }

    @Test
    void badFormatsAreLoadErrors() {
        assertThat(load("- rule: R\n  desc: d\n  condition: ct.name = X\n  output: 100%\n  priority: INFO\n"
                + "  source: aws_cloudtrail\n").errors().get(0).message()).contains("invalid output format");
        assertThat(load("- rule: R\n  desc: d\n  condition: ct.name = X\n  output: '%foo'\n  priority: INFO\n"
                + "  source: aws_cloudtrail\n").errors().get(0).message()).contains("invalid output format");
    }
}
