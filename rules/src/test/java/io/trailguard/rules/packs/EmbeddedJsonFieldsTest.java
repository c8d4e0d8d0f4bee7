package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.trailguard.rules.testing.Events.event;
import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.matches;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two fields the packs add to the engine for JSON documents embedded as strings: {@code json.embedded} and
 * {@code policy.external_accounts} (field/EmbeddedJsonFields.java).
 */
class EmbeddedJsonFieldsTest {

    static CloudTrailEvent policyEvent(String account, String doc) {
        String quoted = doc.replace("\\", "\\\\").replace("\"", "\\\"");
        return event("{\"eventName\":\"PutRolePolicy\",\"recipientAccountId\":\"" + account + "\","
                + "\"userIdentity\":{\"accountId\":\"999999999999\"},"
                + "\"requestParameters\":{\"policyDocument\":\"" + quoted + "\"}}");
    }

    static String render(String field, CloudTrailEvent e) {
        RuleSet rs = load("- rule: r\n  desc: d\n  condition: ct.name exists\n  output: '%" + field.replace("'", "''")
                + "'\n  priority: INFO\n  source: aws_cloudtrail\n").orThrow();
        List<Alert> a = rs.evaluate(e, rs.newContext());
        return a.get(0).output();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // statements as an array or a single object; Resource as a string or an array
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]} | (*)",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":[\"arn:a\",\"*\"]}} | (arn:a,*)",
        "{\"Statement\":[{\"Effect\":\"Deny\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Resource\":\"arn:b\"}]} | (arn:b)",
        "not json | <NA>",
        "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Resource%22%3A%22*%22%7D%5D%7D | (*)",
    })
    void embeddedReadsAllowStatementsOfAStringDocument(String doc, String rendered) {
        assertThat(render("json.embedded[\"/requestParameters/policyDocument|$..[?(@.Effect == 'Allow')].Resource\"]",
                policyEvent("1", doc))).isEqualTo(rendered);
    }

    @Test
    void embeddedUsesAnObjectAsItIsAndRefusesRegexFilters() {
        CloudTrailEvent e = event("{\"eventName\":\"PutBucketPolicy\",\"requestParameters\":{\"bucketPolicy\":"
                + "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"a\",\"b\"]}}]}}}");
        assertThat(matches("json.embedded[/requestParameters/bucketPolicy|$..Principal.AWS] = b", e)).isTrue();
        assertThat(matches("len(json.embedded[/requestParameters/bucketPolicy|$..Principal.AWS]) = 2", e)).isTrue();
        assertThat(matches("json.embedded[/requestParameters/missing|$..x] exists", e)).isFalse();
        assertThat(load("- rule: r\n  desc: d\n  condition: 'json.embedded[\"/a|$[?(@.x =~ /y/)]\"] exists'\n"
                + "  output: o\n  priority: INFO\n  source: aws_cloudtrail\n").errors().get(0).message())
                .contains("regex filters (=~) are not allowed");
        assertThat(load("- rule: r\n  desc: d\n  condition: json.embedded[/a] exists\n  output: o\n  priority: INFO\n"
                + "  source: aws_cloudtrail\n").errors().get(0).message()).contains("<JSON pointer>|<JSONPath>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // account ARNs and bare ids; the event's own account (recipientAccountId) is left out
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::193672423079:root\",\"111122223333\"]}}]} | (193672423079)",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:sts::444455556666:assumed-role/r/s\"}}]} | (444455556666)",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/x\"}}]} | <NA>",
        // services and federated principals are not accounts; Deny statements grant nothing
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}]} | <NA>",
        "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"}}]} | <NA>",
        // everyone, unless a condition pins the caller
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]} | (*)",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}}]} | <NA>",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::1:root\"}}]} | (*)",
        // a single statement (Lambda AddPermission's response)
        "{\"Sid\":\"s\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"lambda:InvokeFunction\"} | (*)",
        "garbage | <NA>",
    })
    void externalAccountsOfAPolicy(String doc, String rendered) {
        assertThat(render("policy.external_accounts[/requestParameters/policyDocument]",
                policyEvent("111122223333", doc))).isEqualTo(rendered);
    }

    @Test
    void externalAccountsOfAPlainPrincipal() {
        CloudTrailEvent star = event("{\"eventName\":\"AddPermission\",\"recipientAccountId\":\"1\","
                + "\"requestParameters\":{\"principal\":\"*\"}}");
        assertThat(render("policy.external_accounts[/requestParameters/principal]", star)).isEqualTo("(*)");
        CloudTrailEvent service = event("{\"eventName\":\"AddPermission\",\"requestParameters\":{\"principal\":"
                + "\"s3.amazonaws.com\"}}");
        assertThat(matches("policy.external_accounts[/requestParameters/principal] exists", service)).isFalse();
        // without recipientAccountId, userIdentity.accountId is the event's account
        CloudTrailEvent own = event("{\"eventName\":\"AddPermission\",\"userIdentity\":{\"accountId\":\"123456789012\"},"
                + "\"requestParameters\":{\"principal\":\"123456789012\"}}");
        assertThat(matches("policy.external_accounts[/requestParameters/principal] exists", own)).isFalse();
    }
}
