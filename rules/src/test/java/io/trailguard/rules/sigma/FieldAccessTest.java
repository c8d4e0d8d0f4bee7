package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.trailguard.rules.sigma.SigmaTesting.matches;
import static io.trailguard.rules.sigma.SigmaTesting.q;
import static org.assertj.core.api.Assertions.assertThat;

/** Dotted paths into the raw record: literal dotted keys, arrays, booleans, numbers, objects. */
class FieldAccessTest {
    static String sel(String item) {
        return "selection:\n  " + item + "\ncondition: selection\n";
    }

    static Object value(String path, String json) {
        return new SigmaPathField(path).extract(q(json));
    }

    @Test
    void dottedPathsReachNestedKeys() {
        assertThat(matches(sel("userIdentity.sessionContext.sessionIssuer.type: Role"),
                q("{'userIdentity':{'sessionContext':{'sessionIssuer':{'type':'Role'}}}}"))).isTrue();
        assertThat(value("userIdentity.nothing", "{'userIdentity':{'type':'Root'}}")).isNull();
        assertThat(value("eventName.deeper", "{'eventName':'X'}")).as("a path through a scalar is absent").isNull();
    }

    @Test
    void aLiteralDottedKeyWinsOverTheNestedPath() {
        String json = "{'a.b':'literal','a':{'b':'nested'}}";
        assertThat(value("a.b", json)).isEqualTo(List.of("literal"));
        assertThat(matches(sel("a.b: literal"), q(json))).isTrue();
        assertThat(matches(sel("a.b: nested"), q(json))).isFalse();
        // the longest literal key at each level
        assertThat(value("x.y.z", "{'x':{'y.z':'deep literal','y':{'z':'nested'}}}")).isEqualTo(List.of("deep literal"));
        assertThat(value("x.y.z", "{'x.y':{'z':'1'},'x':{'y':{'z':'2'}}}")).isEqualTo(List.of("1"));
    }

    @Test
    void arraysAreCrossedMemberByMember() {
        String json = "{'requestParameters':{'containerDefinitions':[{'command':['sh','-c','curl 169.254.170.2']},"
                + "{'command':['echo']},{'image':'x'}],'layers':['arn:1','arn:2']}}";
        assertThat(value("requestParameters.containerDefinitions.command", json))
                .isEqualTo(List.of("sh", "-c", "curl 169.254.170.2", "echo"));
        assertThat(matches(sel("requestParameters.containerDefinitions.command|contains: '169.254.170.2'"), q(json)))
                .isTrue();
        assertThat(matches(sel("requestParameters.layers|contains: '*'"), q(json))).isTrue();
        assertThat(matches(sel("requestParameters.layers: 'arn:2'"), q(json))).isTrue();
        assertThat(matches(sel("requestParameters.layers|contains: '*'"), q("{'requestParameters':{'layers':[]}}")))
                .as("an empty array has no value").isFalse();
        assertThat(value("a", "{'a':[['x',['y']],'z']}")).as("nested arrays flatten").isEqualTo(List.of("x", "y", "z"));
    }

    @Test
    void booleansAndNumbersCompareByCanonicalText() {
        assertThat(value("r", "{'r':true}")).isEqualTo(List.of("true"));
        assertThat(value("r", "{'r':42}")).isEqualTo(List.of("42"));
        assertThat(value("r", "{'r':1.50}")).isEqualTo(List.of("1.5"));
        assertThat(value("r", "{'r':1.0}")).isEqualTo(List.of("1"));
        assertThat(value("r", "{'r':1e3}")).isEqualTo(List.of("1000"));
        assertThat(value("r", "{'r':-0.0}")).isEqualTo(List.of("0"));
        assertThat(value("r", "{'r':12345678901234567890}")).isEqualTo(List.of("12345678901234567890"));
        assertThat(matches(sel("responseElements.publiclyAccessible: 'true'"),
                q("{'responseElements':{'publiclyAccessible':true}}"))).isTrue();
        assertThat(matches(sel("requestParameters.enable: 'false'"), q("{'requestParameters':{'enable':false}}")))
                .isTrue();
        assertThat(matches(sel("requestParameters.port: '22'"), q("{'requestParameters':{'port':22}}"))).isTrue();
    }

    @Test
    void anObjectIsOneCompactJsonTextWithSortedKeysAndVerbatimStrings() {
        String json = "{'requestParameters':{'versioningConfiguration':{'status':'Suspended','mfaDelete':false},"
                + "'bucketName':'b','n':[1,2.50,null]}}";
        assertThat(value("requestParameters", json)).isEqualTo(List.of(
                "{\"bucketName\":\"b\",\"n\":[1,2.5,null],\"versioningConfiguration\":{\"mfaDelete\":false,"
                        + "\"status\":\"Suspended\"}}"));
        assertThat(matches(sel("requestParameters|contains: Suspended"), q(json))).isTrue();
        // a JSON document nested in a string (IAM policyDocument) is matched as written, quotes included
        String policy = "{\"requestParameters\":{\"userName\":\"u\",\"policyName\":\"p\",\"policyDocument\":"
                + "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                + "\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\\\"}]}\"}}";
        String d = sel("requestParameters|contains|all:\n    - '\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\"'\n"
                + "    - '\"s3:GetObject\"'\n    - '\"Allow\"'");
        assertThat(matches(d, SigmaTesting.event(policy))).isTrue();
        assertThat(matches(d, SigmaTesting.event(policy.replace("GetObject", "PutObject")))).isFalse();
    }

    @Test
    void theSigmaHqTemplatedPolicyRuleFiresOnAnS3BrowserEvent() throws Exception {
        java.nio.file.Path rule = io.trailguard.rules.testing.Shared.require(
                "anchors/sigma/rules/aws_iam_s3browser_templated_s3_bucket_policy_creation.yml");
        RuleSet rs = SigmaTesting.rules(java.nio.file.Files.readString(rule));
        String e = "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"PutUserPolicy\",\"userAgent\":"
                + "\"S3 Browser 10.8.1 https://s3browser.com\",\"requestParameters\":{\"userName\":\"u\",\"policyName\":"
                + "\"p\",\"policyDocument\":\"{\\n \\\"Statement\\\": [{\\n \\\"Effect\\\": \\\"Allow\\\",\\n "
                + "\\\"Action\\\": \\\"s3:GetObject\\\",\\n \\\"Resource\\\": "
                + "\\\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\\\"\\n }]\\n}\"}}";
        List<Alert> alerts = rs.evaluate(SigmaTesting.event(e), rs.newContext());
        assertThat(alerts).extracting(x -> x.rule().name()).containsExactly("AWS IAM S3Browser Templated S3 Bucket Policy Creation");
    }

    @Test
    void jsonNullIsAValueOfNoText() {
        assertThat(value("errorCode", "{'errorCode':null}")).isEqualTo(java.util.Arrays.asList((String) null));
        assertThat(matches(sel("responseElements|contains: '*'"), q("{'responseElements':null}"))).isFalse();
    }

    @Test
    void outputFieldsPrintPathsAsText() {
        RuleSet rs = SigmaTesting.rules("title: T\n" + SigmaTesting.LOGSOURCE + "fields:\n  - requestParameters.layers\n"
                + "  - requestParameters\n"
                + "detection:\n  selection:\n    eventName: X\n  condition: selection\n");
        Alert a = rs.evaluate(q("{'eventName':'X','requestParameters':{'layers':['a','b']}}"), rs.newContext()).get(0);
        assertThat(a.output()).isEqualTo("T: X by <NA> from <NA> in <NA>");
        assertThat(a.outputFields()).containsEntry("requestParameters.layers", "(a,b)")
                .containsEntry("requestParameters", "{\"layers\":[\"a\",\"b\"]}")
                .containsEntry("userIdentity.arn", null);
    }
}
