package io.trailguard.rules.condition;

import io.trailguard.rules.event.CloudTrailEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.trailguard.rules.testing.Events.matches;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;

/** Every Falco operator, with present, absent and multi-valued fields (reference/falco.md 3.4, 3.5). */
class OperatorTest {
    static final CloudTrailEvent E = q("{'eventName':'AttachUserPolicy','eventSource':'iam.amazonaws.com',"
            + "'awsRegion':'us-east-1','sourceIPAddress':'10.0.0.1','userAgent':'aws-cli/2.0 Python/3.8',"
            + "'eventTime':'2023-07-10T11:42:05Z','readOnly':false,"
            + "'userIdentity':{'type':'IAMUser','userName':'Alice','arn':'arn:aws:iam::1:user/Alice'},"
            + "'requestParameters':{'userName':'bob','policyArn':'arn:aws:iam::aws:policy/AdministratorAccess',"
            + "'path':'/tmp/hello/x','encoded':'aGVsbG8=','count':12,'flag':true,'nothing':null,"
            + "'ipPermissions':{'items':[{'ipRanges':{'items':[{'cidrIp':'10.0.0.0/8'},{'cidrIp':'0.0.0.0/0'}]}}]}},"
            + "'resources':[{'ARN':'arn:a'},{'ARN':'arn:b'}],"
            + "'additionalEventData':{'bytesTransferredIn':100,'bytesTransferredOut':23}}");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // equality
        "ct.name = AttachUserPolicy | true",
        "ct.name == \"AttachUserPolicy\" | true",
        "ct.name=AttachUserPolicy | true",
        "ct.name = attachuserpolicy | false",
        "ct.name != AttachUserPolicy | false",
        "ct.name != Other | true",
        // absent field: every comparison false, including !=
        "ct.error = x | false",
        "ct.error != x | false",
        "not ct.error = x | true",
        "ct.error exists | false",
        "not ct.error exists | true",
        "ct.name exists | true",
        // substring family
        "ct.useragent contains cli | true",
        "ct.useragent contains \"\" | true",
        "ct.useragent contains CLI | false",
        "ct.useragent icontains CLI | true",
        "ct.useragent icontains python/3 | true",
        "ct.useragent startswith aws-cli | true",
        "ct.useragent startswith cli | false",
        "ct.useragent endswith 3.8 | true",
        "ct.useragent endswith 3.9 | false",
        // glob / iglob: full match, * crosses /
        "ct.useragent glob \"aws-cli/*\" | true",
        "ct.useragent glob \"aws-cli/?.0 *\" | true",
        "ct.useragent glob \"Aws-cli/*\" | false",
        "ct.useragent iglob \"AWS-CLI/*\" | true",
        "ct.useragent glob \"aws-cli\" | false",
        "json.value[/requestParameters/path] glob \"/tmp/*\" | true",
        "ct.srcip glob \"10.0.0.[0-9]\" | true",
        "ct.srcip glob \"10.0.0.[!1]\" | false",
        // regex: RE2, full match
        "ct.srcip regex \"10\\\\.0\\\\.0\\\\.[0-9]+\" | true",
        "ct.srcip regex \"10\\\\.0\" | false",
        "ct.srcip regex '10[.]0[.]0[.]1' | true",
        "ct.useragent regex \".*Python.*\" | true",
        // string ordering (strcmp) against a number literal (Falco accepts only numbers on the right)
        "ct.srcip > 1 | true",
        "ct.srcip < 2 | true",
        "ct.srcip >= 10.0 | true",
        "ct.srcip <= 10 | false",
        // in / intersects / pmatch
        "ct.region in (us-east-1, eu-west-1) | true",
        "ct.region in (\"eu-west-1\") | false",
        "ct.region in () | false",
        "ct.region intersects (us-east-1) | true",
        "json.value[/requestParameters/path] pmatch (/tmp/hello) | true",
        "json.value[/requestParameters/path] pmatch (/tmp/hel) | false",
        "json.value[/requestParameters/path] pmatch (/usr, /tmp/) | true",
        // modifiers
        "ct.name = anyof (A, AttachUserPolicy) | true",
        "ct.useragent contains allof (aws, cli, Python) | true",
        "ct.useragent contains allof (aws, cli, Ruby) | false",
        "ct.useragent contains oneof (aws, Ruby) | true",
        "ct.useragent contains oneof (aws, cli) | false",
        "ct.useragent startswith anyof (x, aws) | true",
        // numbers: numeric fields compare numerically
        "s3.bytes = 123 | true",
        "s3.bytes > 100 | true",
        "s3.bytes < 100 | false",
        "s3.bytes >= 0x7b | true",
        "s3.bytes in (1, 123) | true",
        "evt.num > 0 | true",
        // json.value renders non-strings as compact JSON text
        "json.value[/requestParameters/count] = 12 | true",
        "json.value[/requestParameters/flag] = true | true",
        "json.value[/readOnly] = false | true",
        "json.value[/requestParameters/nothing] = null | true",
        "json.value[/requestParameters/nothing] exists | true",
        "json.value[/requestParameters/missing] exists | false",
        "json.value[requestParameters/userName] = bob | true",
        "json.value[/resources/1/ARN] = arn:b | true",
        "json.value[/resources/2/ARN] exists | false",
        "jevt.value[/userIdentity/userName] = Alice | true",
        // transformers
        "tolower(ct.user) = alice | true",
        "toupper(ct.user) = ALICE | true",
        "b64(json.value[/requestParameters/encoded]) = hello | true",
        "basename(json.value[/requestParameters/path]) = x | true",
        "len(ct.user) = 5 | true",
        "len(ct.error) = 0 | false",
        "tolower(toupper(ct.user)) = alice | true",
        // field against field
        "ct.request.username != val(ct.user) | true",
        "ct.user = val(json.value[/userIdentity/userName]) | true",
        "ct.user = val(ct.error) | false",
        // JSONPath: multi-valued, any value for comparisons, every value for 'in'
        "json.path[$.requestParameters.ipPermissions.items[*].ipRanges.items[*].cidrIp] = 0.0.0.0/0 | true",
        "json.path[$..cidrIp] endswith /0 | true",
        "json.path[$..cidrIp] in (10.0.0.0/8, 0.0.0.0/0) | true",
        "json.path[$..cidrIp] in (10.0.0.0/8) | false",
        "json.path[$..cidrIp] intersects (10.0.0.0/8) | true",
        "json.path[$..notThere] exists | false",
        "json.path[$.resources[?(@.ARN == 'arn:b')].ARN] = arn:b | true",
        "len(json.path[$..cidrIp]) = 2 | true",
        "json.path[\"$.resources[*].ARN\"] = arn:a | true",
        // boolean structure and precedence: not > and > or
        "ct.name = X or ct.name = AttachUserPolicy and ct.region = us-east-1 | true",
        "ct.name = AttachUserPolicy or ct.name = X and ct.region = nope | true",
        "(ct.name = AttachUserPolicy or ct.name = X) and ct.region = nope | false",
        "not ct.name = X and not ct.name = Y | true",
        "not not ct.name = AttachUserPolicy | true",
        "not(ct.name = X) | true",
        "not (ct.name = X or ct.name = AttachUserPolicy) | false",
    })
    void operator(String condition, boolean expected) {
        assertThat(matches(condition, E)).as(condition).isEqualTo(expected);
    }

    @Test
    void orderingNeedsANumberOnTheRight() {
        assertThat(io.trailguard.rules.testing.Events.load("- rule: r\n  desc: d\n  condition: ct.region > us-a\n"
                + "  output: o\n  priority: INFO\n  source: aws_cloudtrail\n").errors().get(0).toString())
                .isEqualTo("test.yaml:3:26: rule 'r': operator '>' needs a number, found 'us-a'");
    }

    @Test
    void aFieldThatIsPresentButNotAStringIsEmpty() {
        CloudTrailEvent e = q("{'eventName':{'odd':1},'errorCode':null}");
        assertThat(matches("ct.name = \"\"", e)).isTrue();
        assertThat(matches("ct.name exists", e)).isTrue();
        assertThat(matches("ct.error exists", e)).isTrue();
    }

    @Test
    void regexIsLinearOnHostileInput() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            sb.append('a');
        }
        CloudTrailEvent e = q("{'eventName':'X','userAgent':'" + sb + "!'}");
        // (a+)+$ backtracks exponentially in java.util.regex; RE2 answers at once
        assertThat(matches("ct.useragent regex \"(a+)+$\"", e)).isFalse();
    }
}
