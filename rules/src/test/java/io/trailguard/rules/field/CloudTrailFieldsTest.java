package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudTrailFieldsTest {

    /** JSON written with single quotes for readability (no test value contains an apostrophe). */
    static CloudTrailEvent ev(String json) {
        try {
            return CloudTrailEvent.ofRecord((ObjectNode) Json.mapper().readTree(json.replace('\'', '"')), 1);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static Object x(String field, String json) {
        return x(field, null, json);
    }

    static Object x(String field, String arg, String json) {
        Field f = CloudTrailFields.resolve(field, arg);
        assertThat(f).as(field).isNotNull();
        return f.extract(ev(json));
    }

    static final List<String> ALL = Arrays.asList(
            "ct.id", "ct.error", "ct.errormessage", "ct.time", "ct.src", "ct.shortsrc", "ct.name", "ct.user",
            "ct.originaluser", "ct.user.accountid", "ct.user.identitytype", "ct.user.principalid", "ct.user.arn",
            "ct.region", "ct.response.subnetid", "ct.response.reservationid", "ct.response",
            "ct.request.availabilityzone", "ct.request.cluster", "ct.request.functionname", "ct.request.groupname",
            "ct.request.host", "ct.request.name", "ct.request.policy", "ct.request.reason", "ct.request.target",
            "ct.request.documentname", "ct.request.serialnumber", "ct.request.servicename", "ct.request.subnetid",
            "ct.request.taskdefinition", "ct.request.username", "ct.request", "ct.srcip", "ct.useragent", "ct.info",
            "ct.managementevent", "ct.readonly", "ct.requestid", "ct.eventtype", "ct.apiversion", "ct.resources",
            "ct.recipientaccountid", "ct.serviceeventdetails", "ct.sharedeventid", "ct.vpcendpointid",
            "ct.eventcategory", "ct.addendum.reason", "ct.addendum.updatedfields", "ct.addendum.originalrequestid",
            "ct.addendum.originaleventid", "ct.sessioncredentialfromconsole", "ct.edgedevicedetails",
            "ct.tlsdetails.tlsversion", "ct.tlsdetails.ciphersuite", "ct.tlsdetails.clientprovidedhostheader",
            "ct.additionaleventdata", "s3.uri", "s3.bucket", "s3.key", "s3.bytes", "s3.bytes.in", "s3.bytes.out",
            "s3.cnt.get", "s3.cnt.put", "s3.cnt.other", "ec2.name", "ec2.imageid", "ec2.imageids",
            "ecr.repository", "ecr.imagetag", "iam.role", "iam.policy",
            "aws.eventName", "aws.errorCode", "aws.user", "aws.sourceIP", "aws.region");

    @Nested
    class Catalogue {
        @Test
        void namesAreExactlyFalcosPlusSysdigAliases() {
            assertThat(CloudTrailFields.names()).containsExactlyInAnyOrderElementsOf(ALL);
        }

        @Test
        void everyNameResolvesToAFieldOfThatName() {
            for (String n : ALL) {
                Field f = CloudTrailFields.resolve(n, null);
                assertThat(f).as(n).isNotNull();
                assertThat(f.name()).isEqualTo(n);
                ValueType expected = n.equals("ec2.imageids") ? ValueType.LIST
                        : n.startsWith("s3.bytes") || n.startsWith("s3.cnt") ? ValueType.NUMBER : ValueType.STRING;
                assertThat(f.type()).as(n).isEqualTo(expected);
                // an empty record never throws
                Object v = f.extract(ev("{}"));
                assertThat(v == null || v instanceof String || v instanceof Long || v instanceof List).isTrue();
            }
        }

        @Test
        void resolveIsStableAndCaseSensitive() {
            assertThat(CloudTrailFields.resolve("ct.name", null)).isSameAs(CloudTrailFields.resolve("ct.name", null));
            assertThat(CloudTrailFields.resolve("CT.NAME", null)).isNull();
            assertThat(CloudTrailFields.resolve("aws.eventname", null)).isNull();
            assertThat(CloudTrailFields.resolve("aws.sourceip", null)).isNull();
            assertThat(CloudTrailFields.resolve("ct.request.documentName", null)).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"json.value", "evt.num", "ct", "ct.", "ct.nope", "s3.foo", "ec2.imageids.x", "",
                "k8s.ns.name", "iam.user"})
        void unknownNamesAreNull(String name) {
            assertThat(CloudTrailFields.resolve(name, null)).isNull();
            assertThat(CloudTrailFields.resolve(name, "x")).isNull();
        }

        @Test
        void nullNameIsNull() {
            assertThat(CloudTrailFields.resolve(null, null)).isNull();
        }

        @Test
        void argumentOnAFieldWithoutOneIsAnError() {
            assertThatThrownBy(() -> CloudTrailFields.resolve("ct.name", "x"))
                    .isInstanceOf(UnknownFieldException.class).hasMessageContaining("ct.name")
                    .hasMessageContaining("does not take an argument");
            assertThatThrownBy(() -> CloudTrailFields.resolve("ec2.imageid", "0"))
                    .isInstanceOf(UnknownFieldException.class);
            assertThatThrownBy(() -> CloudTrailFields.resolve("aws.user", ""))
                    .isInstanceOf(UnknownFieldException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a", "-1", "1.0", " 1", "0x1", "/items"})
        void imageIdsIndexMustBeNumeric(String arg) {
            assertThatThrownBy(() -> CloudTrailFields.resolve("ec2.imageids", arg))
                    .isInstanceOf(UnknownFieldException.class).hasMessageContaining("ec2.imageids")
                    .hasMessageContaining("numeric index");
        }

        @Test
        void imageIdsWithIndexIsAStringFieldNamedWithItsArgument() {
            Field f = CloudTrailFields.resolve("ec2.imageids", "1");
            assertThat(f.name()).isEqualTo("ec2.imageids[1]");
            assertThat(f.type()).isEqualTo(ValueType.STRING);
            assertThat(CloudTrailFields.resolve("ec2.imageids", "99999999999999999999").type())
                    .isEqualTo(ValueType.STRING);
        }

        @Test
        void namesIsUnmodifiable() {
            assertThatThrownBy(() -> CloudTrailFields.names().add("x"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class PlainStrings {
        @ParameterizedTest
        @CsvSource({
                "ct.id, eventID",
                "ct.error, errorCode",
                "ct.errormessage, errorMessage",
                "ct.time, eventTime",
                "ct.src, eventSource",
                "ct.name, eventName",
                "ct.region, awsRegion",
                "ct.srcip, sourceIPAddress",
                "ct.useragent, userAgent",
                "ct.requestid, requestID",
                "ct.eventtype, eventType",
                "ct.apiversion, apiVersion",
                "ct.recipientaccountid, recipientAccountId",
                "ct.serviceeventdetails, serviceEventDetails",
                "ct.sharedeventid, sharedEventID",
                "ct.vpcendpointid, vpcEndpointId",
                "ct.eventcategory, eventCategory",
                "ct.edgedevicedetails, edgeDeviceDetails",
                "aws.eventName, eventName",
                "aws.errorCode, errorCode",
                "aws.sourceIP, sourceIPAddress",
                "aws.region, awsRegion",
        })
        void topLevel(String field, String key) {
            assertThat(x(field, "{'" + key + "':'v1'}")).isEqualTo("v1");
            assertThat(x(field, "{'" + key + "':''}")).isEqualTo("");
            assertThat(x(field, "{}")).isNull();
            assertThat(x(field, "{'" + key.toUpperCase() + "':'v1'}")).isNull();
            // fastjson GetStringBytes: a present non-string value is present and empty
            assertThat(x(field, "{'" + key + "':null}")).isEqualTo("");
            assertThat(x(field, "{'" + key + "':42}")).isEqualTo("");
            assertThat(x(field, "{'" + key + "':true}")).isEqualTo("");
            assertThat(x(field, "{'" + key + "':{'a':'b'}}")).isEqualTo("");
            assertThat(x(field, "{'" + key + "':['a']}")).isEqualTo("");
        }

        @ParameterizedTest
        @CsvSource({
                "ct.user.identitytype, userIdentity, type",
                "ct.user.principalid, userIdentity, principalId",
                "ct.user.arn, userIdentity, arn",
                "ct.response.subnetid, responseElements, subnetId",
                "ct.response.reservationid, responseElements, reservationId",
                "ct.request.availabilityzone, requestParameters, availabilityZone",
                "ct.request.cluster, requestParameters, cluster",
                "ct.request.functionname, requestParameters, functionName",
                "ct.request.groupname, requestParameters, groupName",
                "ct.request.host, requestParameters, Host",
                "ct.request.name, requestParameters, name",
                "ct.request.policy, requestParameters, policy",
                "ct.request.reason, requestParameters, reason",
                "ct.request.target, requestParameters, target",
                "ct.request.documentname, requestParameters, documentName",
                "ct.request.serialnumber, requestParameters, serialNumber",
                "ct.request.servicename, requestParameters, serviceName",
                "ct.request.subnetid, requestParameters, subnetId",
                "ct.request.taskdefinition, requestParameters, taskDefinition",
                "ct.request.username, requestParameters, userName",
                "ct.addendum.reason, addendum, reason",
                "ct.addendum.updatedfields, addendum, updatedFields",
                "ct.addendum.originalrequestid, addendum, originalRequestID",
                "ct.addendum.originaleventid, addendum, originalEventID",
                "ct.tlsdetails.tlsversion, tlsDetails, tlsVersion",
                "ct.tlsdetails.ciphersuite, tlsDetails, cipherSuite",
                "ct.tlsdetails.clientprovidedhostheader, tlsDetails, clientProvidedHostHeader",
                "s3.bucket, requestParameters, bucketName",
                "s3.key, requestParameters, key",
                "ecr.repository, requestParameters, repositoryName",
                "ecr.imagetag, requestParameters, imageTag",
                "iam.role, requestParameters, roleName",
                "iam.policy, requestParameters, policyName",
        })
        void nested(String field, String parent, String key) {
            assertThat(x(field, "{'" + parent + "':{'" + key + "':'v2'}}")).isEqualTo("v2");
            assertThat(x(field, "{'" + parent + "':{'" + key + "':null}}")).isEqualTo("");
            assertThat(x(field, "{'" + parent + "':{'" + key + "':{'x':1}}}")).isEqualTo("");
            assertThat(x(field, "{'" + parent + "':{'" + key + "':7}}")).isEqualTo("");
            assertThat(x(field, "{'" + parent + "':{}}")).isNull();
            assertThat(x(field, "{'" + parent + "':null}")).isNull();
            assertThat(x(field, "{'" + parent + "':'" + key + "'}")).isNull();
            assertThat(x(field, "{'" + parent + "':[{'" + key + "':'v2'}]}")).isNull();
            assertThat(x(field, "{'" + key + "':'v2'}")).isNull();
            assertThat(x(field, "{}")).isNull();
        }

        @Test
        void hostIsCapitalised() {
            assertThat(x("ct.request.host", "{'requestParameters':{'host':'h'}}")).isNull();
        }

        @Test
        void documentNameBugIsFixed() {
            assertThat(x("ct.request.documentname", "{'requestParameters':{'documentName':'AWS-RunShellScript'}}"))
                    .isEqualTo("AWS-RunShellScript");
        }

        @Test
        void iamPolicyIsPolicyNameNotArn() {
            assertThat(x("iam.policy", "{'requestParameters':{'policyArn':'arn:aws:iam::aws:policy/Admin'}}"))
                    .isNull();
        }

        @Test
        void errorIsAbsentWithoutErrorCode() {
            assertThat(x("ct.error", "{'eventName':'X'}")).isNull();
            assertThat(x("aws.errorCode", "{'eventName':'X'}")).isNull();
            assertThat(x("ct.error", "{'errorCode':'AccessDenied'}")).isEqualTo("AccessDenied");
            assertThat(x("aws.errorCode", "{'errorCode':'AccessDenied'}")).isEqualTo("AccessDenied");
        }

        @Test
        void unicodeAndEscapesAreDecoded() {
            assertThat(x("ct.name", "{'eventName':'a\\u00e9\\\\b\\/c'}")).isEqualTo("aé\\b/c");
        }
    }

    @Nested
    class ShortSource {
        @ParameterizedTest
        @CsvSource({
                "s3.amazonaws.com, s3",
                "signin.amazonaws.com, signin",
                "sts.amazonaws.com.cn, sts.amazonaws.com.cn",
                ".amazonaws.com, .amazonaws.com",
                "x.amazonaws.com, x",
                "eventSource1, eventSource1",
                "ec2.AMAZONAWS.com, ec2.AMAZONAWS.com",
        })
        void stripsTheSuffixOnlyWhenSomethingPrecedesIt(String src, String expected) {
            assertThat(x("ct.shortsrc", "{'eventSource':'" + src + "'}")).isEqualTo(expected);
        }

        @Test
        void absentAndOdd() {
            assertThat(x("ct.shortsrc", "{}")).isNull();
            assertThat(x("ct.shortsrc", "{'eventSource':null}")).isEqualTo("");
            assertThat(x("ct.shortsrc", "{'eventSource':{'a':1}}")).isEqualTo("");
        }
    }

    @Nested
    class User {
        @ParameterizedTest
        @ValueSource(strings = {"ct.user", "aws.user"})
        void byIdentityType(String f) {
            assertThat(x(f, "{'userIdentity':{'type':'Root','userName':'root-name'}}")).isEqualTo("root-name");
            assertThat(x(f, "{'userIdentity':{'type':'IAMUser','userName':'alice'}}")).isEqualTo("alice");
            assertThat(x(f, "{'userIdentity':{'type':'AWSService','invokedBy':'ec2.amazonaws.com'}}"))
                    .isEqualTo("ec2.amazonaws.com");
            assertThat(x(f, "{'userIdentity':{'type':'AssumedRole','userName':'ignored','sessionContext':"
                    + "{'sessionIssuer':{'userName':'my-role'}}}}")).isEqualTo("my-role");
            assertThat(x(f, "{'userIdentity':{'type':'AWSAccount','accountId':'1'}}")).isEqualTo("AWSAccount");
            assertThat(x(f, "{'userIdentity':{'type':'FederatedUser','userName':'x'}}"))
                    .isEqualTo("FederatedUser");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SAMLUser", "WebIdentityUser", "Unknown", "IdentityCenterUser", "iamuser", ""})
        void otherTypesAreAbsent(String type) {
            assertThat(x("ct.user", "{'userIdentity':{'type':'" + type + "','userName':'u'}}")).isNull();
        }

        @Test
        void oddShapes() {
            assertThat(x("ct.user", "{}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':null}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':'IAMUser'}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':{'userName':'u'}}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':{'type':null,'userName':'u'}}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':{'type':1,'userName':'u'}}")).isNull();
            // Root/IAMUser without userName → absent; non-string userName → ""
            assertThat(x("ct.user", "{'userIdentity':{'type':'IAMUser'}}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':{'type':'Root','arn':'arn:aws:iam::1:root'}}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':{'type':'IAMUser','userName':null}}")).isEqualTo("");
            assertThat(x("ct.user", "{'userIdentity':{'type':'IAMUser','userName':{'a':1}}}")).isEqualTo("");
            assertThat(x("ct.user", "{'userIdentity':{'type':'AWSService'}}")).isNull();
            assertThat(x("ct.user", "{'userIdentity':{'type':'AWSService','invokedBy':5}}")).isEqualTo("");
        }

        @Test
        void assumedRoleWithoutIssuerUserNameIsLiteral() {
            assertThat(x("ct.user", "{'userIdentity':{'type':'AssumedRole'}}")).isEqualTo("AssumedRole");
            assertThat(x("ct.user", "{'userIdentity':{'type':'AssumedRole','sessionContext':{}}}"))
                    .isEqualTo("AssumedRole");
            assertThat(x("ct.user", "{'userIdentity':{'type':'AssumedRole','sessionContext':"
                    + "{'sessionIssuer':{}}}}")).isEqualTo("AssumedRole");
            assertThat(x("ct.user", "{'userIdentity':{'type':'AssumedRole','sessionContext':"
                    + "{'sessionIssuer':{'userName':null}}}}")).isEqualTo("");
            assertThat(x("ct.user", "{'userIdentity':{'type':'AssumedRole','sessionContext':null}}"))
                    .isEqualTo("AssumedRole");
        }
    }

    @Nested
    class OriginalUser {
        @Test
        void assumedRoleSessionNameFromArn() {
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole',"
                    + "'arn':'arn:aws:sts::1:assumed-role/role/alice@example.com','principalId':'AROA:bob'}}"))
                    .isEqualTo("alice@example.com");
            // trailing empty segment counts (Go strings.Split)
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole',"
                    + "'arn':'arn:aws:sts::1:assumed-role/role/','principalId':'AROA:bob'}}")).isEqualTo("");
        }

        @Test
        void assumedRoleFallsBackToPrincipalId() {
            // a path with extra segments: not exactly 3 parts
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole',"
                    + "'arn':'arn:aws:sts::1:assumed-role/path/role/sess','principalId':'AROA:bob'}}"))
                    .isEqualTo("bob");
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole','principalId':'AROA:bob'}}"))
                    .isEqualTo("bob");
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole','arn':7,"
                    + "'principalId':'AROA:'}}")).isEqualTo("");
        }

        @Test
        void assumedRoleWithoutUsableArnOrPrincipalIsAbsent() {
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole'}}")).isNull();
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole','arn':'a/b',"
                    + "'principalId':'A:B:C'}}")).isNull();
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole','arn':null,"
                    + "'principalId':'AROA'}}")).isNull();
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'AssumedRole','userName':'u'}}")).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"Root", "IAMUser", "AWSService", "AWSAccount", "FederatedUser", "SAMLUser",
                "IdentityCenterUser", "Unknown"})
        void otherTypesUseUserName(String type) {
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'" + type + "','userName':'u1',"
                    + "'arn':'a/b/c','principalId':'p:q'}}")).isEqualTo("u1");
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'" + type + "'}}")).isNull();
            assertThat(x("ct.originaluser", "{'userIdentity':{'type':'" + type + "','userName':null}}"))
                    .isEqualTo("");
        }

        @Test
        void noTypeStillUsesUserName() {
            assertThat(x("ct.originaluser", "{'userIdentity':{'userName':'u2'}}")).isEqualTo("u2");
            assertThat(x("ct.originaluser", "{}")).isNull();
            assertThat(x("ct.originaluser", "{'userIdentity':null}")).isNull();
        }
    }

    @Nested
    class AccountId {
        @Test
        void fallsBackToRecipientAccountId() {
            assertThat(x("ct.user.accountid", "{'userIdentity':{'accountId':'111'},'recipientAccountId':'222'}"))
                    .isEqualTo("111");
            assertThat(x("ct.user.accountid", "{'userIdentity':{},'recipientAccountId':'222'}")).isEqualTo("222");
            assertThat(x("ct.user.accountid", "{'userIdentity':null,'recipientAccountId':'222'}"))
                    .isEqualTo("222");
            assertThat(x("ct.user.accountid", "{'recipientAccountId':'222'}")).isEqualTo("222");
            assertThat(x("ct.user.accountid", "{'recipientAccountId':22}")).isEqualTo("");
            assertThat(x("ct.user.accountid", "{}")).isNull();
        }

        @Test
        void presentNonStringDoesNotFallBack() {
            assertThat(x("ct.user.accountid", "{'userIdentity':{'accountId':null},'recipientAccountId':'222'}"))
                    .isEqualTo("");
        }
    }

    @Nested
    class Booleans {
        @ParameterizedTest
        @CsvSource({"ct.readonly, readOnly", "ct.managementevent, managementEvent",
                "ct.sessioncredentialfromconsole, sessionCredentialFromConsole"})
        void trueFalseAbsentAndOdd(String field, String key) {
            assertThat(x(field, "{'" + key + "':true}")).isEqualTo("true");
            assertThat(x(field, "{'" + key + "':false}")).isEqualTo("false");
            assertThat(x(field, "{}")).isNull();
            assertThat(x(field, "{'" + key + "':'true'}")).isEqualTo("false");
            assertThat(x(field, "{'" + key + "':null}")).isEqualTo("false");
            assertThat(x(field, "{'" + key + "':1}")).isEqualTo("false");
            assertThat(x(field, "{'" + key + "':{}}")).isEqualTo("false");
        }

        @Test
        void noEventNameHeuristic() {
            assertThat(x("ct.readonly", "{'eventName':'DeleteBucket'}")).isNull();
            assertThat(x("ct.readonly", "{'eventName':'DescribeInstances'}")).isNull();
        }
    }

    @Nested
    class CompactJson {
        @ParameterizedTest
        @CsvSource({"ct.request, requestParameters", "ct.response, responseElements",
                "ct.additionaleventdata, additionalEventData"})
        void shapes(String field, String key) {
            assertThat(x(field, "{'" + key + "': { 'b' : 'x', 'a' : [1, 2, {'c':null}], 'd':true } }"))
                    .isEqualTo("{\"b\":\"x\",\"a\":[1,2,{\"c\":null}],\"d\":true}");
            assertThat(x(field, "{'" + key + "':null}")).isEqualTo("null");
            assertThat(x(field, "{'" + key + "':'text'}")).isEqualTo("\"text\"");
            assertThat(x(field, "{'" + key + "':12}")).isEqualTo("12");
            assertThat(x(field, "{'" + key + "':[]}")).isEqualTo("[]");
            assertThat(x(field, "{'" + key + "':{}}")).isEqualTo("{}");
            assertThat(x(field, "{}")).isNull();
        }

        @Test
        void stringsAreEscaped() {
            assertThat(x("ct.request", "{'requestParameters':{'p':'a\\\"b\\nc'}}"))
                    .isEqualTo("{\"p\":\"a\\\"b\\nc\"}");
        }
    }

    @Nested
    class Resources {
        @Test
        void elementsJoinedWithComma() {
            assertThat(x("ct.resources", "{'resources':[{'ARN':'arn:1','type':'AWS::IAM::Role'},"
                    + "{'ARN':'arn:2'}]}"))
                    .isEqualTo("{\"ARN\":\"arn:1\",\"type\":\"AWS::IAM::Role\"},{\"ARN\":\"arn:2\"}");
            assertThat(x("ct.resources", "{'resources':['a',1,null]}")).isEqualTo("\"a\",1,null");
        }

        @Test
        void absentWhenMissingEmptyOrNotAnArray() {
            assertThat(x("ct.resources", "{}")).isNull();
            assertThat(x("ct.resources", "{'resources':[]}")).isNull();
            assertThat(x("ct.resources", "{'resources':null}")).isNull();
            assertThat(x("ct.resources", "{'resources':{'ARN':'a'}}")).isNull();
            assertThat(x("ct.resources", "{'resources':'arn'}")).isNull();
        }
    }

    @Nested
    class S3 {
        @Test
        void uriNeedsTwoStrings() {
            assertThat(x("s3.uri", "{'requestParameters':{'bucketName':'b','key':'k/x.txt'}}"))
                    .isEqualTo("s3://b/k/x.txt");
            assertThat(x("s3.uri", "{'requestParameters':{'bucketName':'','key':''}}")).isEqualTo("s3:///");
            assertThat(x("s3.uri", "{'requestParameters':{'bucketName':'b'}}")).isNull();
            assertThat(x("s3.uri", "{'requestParameters':{'key':'k'}}")).isNull();
            assertThat(x("s3.uri", "{'requestParameters':{'bucketName':'b','key':null}}")).isNull();
            assertThat(x("s3.uri", "{'requestParameters':{'bucketName':1,'key':'k'}}")).isNull();
            assertThat(x("s3.uri", "{}")).isNull();
        }

        @Test
        void bytes() {
            String both = "{'additionalEventData':{'bytesTransferredIn':10,'bytesTransferredOut':33.9}}";
            assertThat(x("s3.bytes", both)).isEqualTo(43L);
            assertThat(x("s3.bytes.in", both)).isEqualTo(10L);
            assertThat(x("s3.bytes.out", both)).isEqualTo(33L);

            String inOnly = "{'additionalEventData':{'bytesTransferredIn':5.0}}";
            assertThat(x("s3.bytes", inOnly)).isEqualTo(5L);
            assertThat(x("s3.bytes.in", inOnly)).isEqualTo(5L);
            assertThat(x("s3.bytes.out", inOnly)).isNull();

            String outOnly = "{'additionalEventData':{'bytesTransferredOut':0}}";
            assertThat(x("s3.bytes", outOnly)).isEqualTo(0L);
            assertThat(x("s3.bytes.in", outOnly)).isNull();
            assertThat(x("s3.bytes.out", outOnly)).isEqualTo(0L);

            for (String f : new String[] {"s3.bytes", "s3.bytes.in", "s3.bytes.out"}) {
                assertThat(x(f, "{}")).isNull();
                assertThat(x(f, "{'additionalEventData':{}}")).isNull();
                assertThat(x(f, "{'additionalEventData':null}")).isNull();
                assertThat(x(f, "{'additionalEventData':'x'}")).isNull();
            }
        }

        @Test
        void nonNumericBytesCountAsZero() {
            assertThat(x("s3.bytes", "{'additionalEventData':{'bytesTransferredIn':'12',"
                    + "'bytesTransferredOut':null}}")).isEqualTo(0L);
            assertThat(x("s3.bytes.in", "{'additionalEventData':{'bytesTransferredIn':true}}")).isEqualTo(0L);
            assertThat(x("s3.bytes.out", "{'additionalEventData':{'bytesTransferredOut':{}}}")).isEqualTo(0L);
        }

        @Test
        void bigAndOddNumbers() {
            assertThat(x("s3.bytes.in", "{'additionalEventData':{'bytesTransferredIn':1e3}}")).isEqualTo(1000L);
            assertThat(x("s3.bytes.in", "{'additionalEventData':{'bytesTransferredIn':5000000000}}"))
                    .isEqualTo(5_000_000_000L);
            // uint64 values above Long.MAX_VALUE keep their bits
            assertThat(x("s3.bytes.in", "{'additionalEventData':{'bytesTransferredIn':18446744073709551615}}"))
                    .isEqualTo(-1L);
            assertThat(x("s3.bytes.in", "{'additionalEventData':{'bytesTransferredIn':9223372036854775808.0}}"))
                    .isEqualTo(Long.MIN_VALUE);
            assertThat(x("s3.bytes.in", "{'additionalEventData':{'bytesTransferredIn':-2.5}}")).isEqualTo(-2L);
        }

        @Test
        void counts() {
            assertThat(x("s3.cnt.get", "{'eventName':'GetObject'}")).isEqualTo(1L);
            assertThat(x("s3.cnt.put", "{'eventName':'GetObject'}")).isNull();
            assertThat(x("s3.cnt.other", "{'eventName':'GetObject'}")).isNull();

            assertThat(x("s3.cnt.get", "{'eventName':'PutObject'}")).isNull();
            assertThat(x("s3.cnt.put", "{'eventName':'PutObject'}")).isEqualTo(1L);
            assertThat(x("s3.cnt.other", "{'eventName':'PutObject'}")).isNull();

            assertThat(x("s3.cnt.get", "{'eventName':'ListBuckets'}")).isNull();
            assertThat(x("s3.cnt.put", "{'eventName':'ListBuckets'}")).isNull();
            assertThat(x("s3.cnt.other", "{'eventName':'ListBuckets'}")).isEqualTo(1L);

            assertThat(x("s3.cnt.get", "{'eventName':'getobject'}")).isNull();
            assertThat(x("s3.cnt.other", "{}")).isEqualTo(1L);
            assertThat(x("s3.cnt.other", "{'eventName':null}")).isEqualTo(1L);
            assertThat(x("s3.cnt.get", "{}")).isNull();
            assertThat(x("s3.cnt.put", "{}")).isNull();
        }
    }

    @Nested
    class Ec2Name {
        @Test
        void nameTagOfInstanceItems() {
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':["
                    + "{'resourceType':'volume','tags':[{'key':'Name','value':'vol'}]},"
                    + "{'resourceType':'instance','tags':[{'key':'env','value':'prod'},"
                    + "{'key':'Name','value':'web-1'},{'key':'Name','value':'second'}]}]}}}"))
                    .isEqualTo("web-1");
        }

        @Test
        void lastInstanceItemWithNameWins() {
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':["
                    + "{'resourceType':'instance','tags':[{'key':'Name','value':'a'}]},"
                    + "{'resourceType':'instance','tags':[{'key':'env','value':'x'}]},"
                    + "{'resourceType':'instance','tags':[{'key':'Name','value':'b'}]}]}}}")).isEqualTo("b");
            // a later empty Name overwrites and makes the field absent
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':["
                    + "{'resourceType':'instance','tags':[{'key':'Name','value':'a'}]},"
                    + "{'resourceType':'instance','tags':[{'key':'Name','value':null}]}]}}}")).isNull();
        }

        @Test
        void absentShapes() {
            assertThat(x("ec2.name", "{}")).isNull();
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':{}}}}")).isNull();
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':[]}}}")).isNull();
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':["
                    + "{'resourceType':'volume','tags':[{'key':'Name','value':'v'}]}]}}}")).isNull();
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':["
                    + "{'resourceType':'instance','tags':[{'key':'name','value':'v'}]}]}}}")).isNull();
            assertThat(x("ec2.name", "{'requestParameters':{'tagSpecificationSet':{'items':["
                    + "'instance',{'resourceType':'instance','tags':{'key':'Name'}},"
                    + "{'resourceType':'instance'}]}}}")).isNull();
        }
    }

    @Nested
    class ImageIds {
        final String response = "{'responseElements':{'instancesSet':{'items':["
                + "{'instanceId':'i-1','imageId':'ami-1'},{'instanceId':'i-2'},"
                + "{'instanceId':'i-3','imageId':'ami-3'},{'imageId':''},'junk']}},"
                + "'requestParameters':{'imageId':'ami-request'}}";

        @Test
        void listFromTheResponse() {
            assertThat(x("ec2.imageids", response)).isEqualTo(Arrays.asList("ami-1", "ami-3"));
            assertThat(x("ec2.imageid", response)).isEqualTo("ami-1");
        }

        @Test
        void indexAddressesTheRawItems() {
            assertThat(x("ec2.imageids", "0", response)).isEqualTo("ami-1");
            assertThat(x("ec2.imageids", "1", response)).isNull(); // item without imageId
            assertThat(x("ec2.imageids", "2", response)).isEqualTo("ami-3");
            assertThat(x("ec2.imageids", "3", response)).isEqualTo("");
            assertThat(x("ec2.imageids", "4", response)).isNull(); // not an object
            assertThat(x("ec2.imageids", "5", response)).isNull();
            assertThat(x("ec2.imageids", "99999999999", response)).isNull();
            assertThat(x("ec2.imageids", "00", response)).isEqualTo("ami-1");
        }

        @Test
        void itemsWithoutImageIdsDoNotFallBack() {
            String json = "{'responseElements':{'instancesSet':{'items':[{'instanceId':'i-1'}]}},"
                    + "'requestParameters':{'imageId':'ami-request'}}";
            assertThat(x("ec2.imageids", json)).isNull();
            assertThat(x("ec2.imageid", json)).isNull();
            assertThat(x("ec2.imageids", "{'responseElements':{'instancesSet':{'items':null}},"
                    + "'requestParameters':{'imageId':'ami-request'}}")).isNull();
            assertThat(x("ec2.imageids", "0", "{'responseElements':{'instancesSet':{'items':'x'}}}")).isNull();
        }

        @Test
        void scalarFallbacksInOrder() {
            String all = "{'requestParameters':{'imageId':'ami-a',"
                    + "'DescribeFastLaunchImagesRequest':{'ImageId':{'content':'ami-b'}},"
                    + "'launchSpecification':{'imageId':'ami-c'}}}";
            assertThat(x("ec2.imageids", all)).isEqualTo(Arrays.asList("ami-a"));
            assertThat(x("ec2.imageid", all)).isEqualTo("ami-a");
            assertThat(x("ec2.imageids", "0", all)).isEqualTo("ami-a");
            assertThat(x("ec2.imageids", "1", all)).isNull();

            String fast = "{'requestParameters':{'DescribeFastLaunchImagesRequest':{'ImageId':{'content':'ami-b'}},"
                    + "'launchSpecification':{'imageId':'ami-c'}}}";
            assertThat(x("ec2.imageids", fast)).isEqualTo(Arrays.asList("ami-b"));
            String launch = "{'requestParameters':{'launchSpecification':{'imageId':'ami-c'}}}";
            assertThat(x("ec2.imageids", launch)).isEqualTo(Arrays.asList("ami-c"));
            assertThat(x("ec2.imageid", launch)).isEqualTo("ami-c");
            // a present non-string scalar is [""] (GetStringBytes), unlike the list items
            assertThat(x("ec2.imageids", "{'requestParameters':{'imageId':null}}"))
                    .isEqualTo(Arrays.asList(""));
        }

        @Test
        void absent() {
            assertThat(x("ec2.imageids", "{}")).isNull();
            assertThat(x("ec2.imageid", "{}")).isNull();
            assertThat(x("ec2.imageids", "0", "{}")).isNull();
        }
    }

    @Nested
    class Info {
        static final String IAM = "'userIdentity':{'type':'IAMUser','userName':'alice'}";

        @Test
        void readOnlyArrows() {
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'ListUsers',"
                    + "'readOnly':true}")).isEqualTo("alice via 1.2.3.4 ← ListUsers");
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'CreateUser',"
                    + "'readOnly':false}")).isEqualTo("alice via 1.2.3.4 → CreateUser");
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'CreateUser'}"))
                    .isEqualTo("alice via 1.2.3.4 ← CreateUser");
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'CreateUser',"
                    + "'readOnly':'yes'}")).isEqualTo("alice via 1.2.3.4 → CreateUser");
        }

        @Test
        void errorMark() {
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'CreateUser',"
                    + "'readOnly':false,'errorCode':'AccessDenied'}")).isEqualTo("alice via 1.2.3.4 !→ CreateUser");
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'GetUser',"
                    + "'readOnly':true,'errorCode':null}")).isEqualTo("alice via 1.2.3.4 !← GetUser");
        }

        @Test
        void userEqualToSourceIsNotRepeated() {
            assertThat(x("ct.info", "{'userIdentity':{'type':'AWSService','invokedBy':'ec2.amazonaws.com'},"
                    + "'sourceIPAddress':'ec2.amazonaws.com','eventName':'AssumeRole','readOnly':true}"))
                    .isEqualTo("ec2.amazonaws.com ← AssumeRole");
        }

        @Test
        void s3Suffixes() {
            String head = "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'GetObject','readOnly':true,";
            assertThat(x("ct.info", head + "'requestParameters':{'bucketName':'b','key':'k','Host':'h'},"
                    + "'additionalEventData':{'bytesTransferredIn':0,'bytesTransferredOut':1024.0}}"))
                    .isEqualTo("alice via 1.2.3.4 ← GetObject Size=1024 URI=s3://b/k");
            assertThat(x("ct.info", head + "'requestParameters':{'bucketName':'b','Host':'h'}}"))
                    .isEqualTo("alice via 1.2.3.4 ← GetObject Bucket=b");
            assertThat(x("ct.info", head + "'requestParameters':{'bucketName':null,'key':'k'}}"))
                    .isEqualTo("alice via 1.2.3.4 ← GetObject Bucket=");
            assertThat(x("ct.info", head + "'requestParameters':{'key':'k','Host':'h'}}"))
                    .isEqualTo("alice via 1.2.3.4 ← GetObject Key=k");
            assertThat(x("ct.info", head + "'requestParameters':{'Host':'h.s3.amazonaws.com'}}"))
                    .isEqualTo("alice via 1.2.3.4 ← GetObject Host=h.s3.amazonaws.com");
            assertThat(x("ct.info", head + "'additionalEventData':{'bytesTransferredIn':7}}"))
                    .isEqualTo("alice via 1.2.3.4 ← GetObject Size=7");
            assertThat(x("ct.info", head + "'requestParameters':null}"))
                    .isEqualTo("alice via 1.2.3.4 ← GetObject");
        }

        @Test
        void putBucketPublicAccessBlockQuirk() {
            String head = "{" + IAM + ",'sourceIPAddress':'1.2.3.4','eventName':'PutBucketPublicAccessBlock',"
                    + "'readOnly':false,'requestParameters':{'bucketName':'b',";
            assertThat(x("ct.info", head + "'PublicAccessBlockConfiguration':{'BlockPublicAcls':true,"
                    + "'BlockPublicPolicy':true,'IgnorePublicAcls':true,'RestrictPublicBuckets':true}}}"))
                    .isEqualTo("alice via 1.2.3.4 → PutBucketPublicAccessBlock BlockPublicAcls=false "
                            + "BlockPublicPolicy=false IgnorePublicAcls=false RestrictPublicBuckets=false ");
            // flags read from the record's top level (upstream bug)
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4',"
                    + "'eventName':'PutBucketPublicAccessBlock','BlockPublicPolicy':true,"
                    + "'requestParameters':{'PublicAccessBlockConfiguration':{}}}"))
                    .isEqualTo("alice via 1.2.3.4 ← PutBucketPublicAccessBlock BlockPublicAcls=false "
                            + "BlockPublicPolicy=true IgnorePublicAcls=false RestrictPublicBuckets=false ");
            // no configuration object: no suffix at all, not even Bucket=
            assertThat(x("ct.info", head + "'PublicAccessBlockConfiguration':'x'}}"))
                    .isEqualTo("alice via 1.2.3.4 → PutBucketPublicAccessBlock");
        }

        @Test
        void invalidEvents() {
            assertThat(x("ct.info", "{'sourceIPAddress':'1.2.3.4','eventName':'X'}"))
                    .isEqualTo("<invalid cloudtrail event: userIdentity field missing>");
            assertThat(x("ct.info", "{'userIdentity':{'type':'SAMLUser','userName':'u'},"
                    + "'sourceIPAddress':'1.2.3.4','eventName':'X'}"))
                    .isEqualTo("<invalid cloudtrail event: userIdentity field missing>");
            assertThat(x("ct.info", "{" + IAM + ",'eventName':'X'}"))
                    .isEqualTo("<invalid cloudtrail event: eventSource field missing>");
            assertThat(x("ct.info", "{" + IAM + ",'sourceIPAddress':'1.2.3.4'}"))
                    .isEqualTo("<invalid cloudtrail event: eventName field missing>");
            assertThat(x("ct.info", "{}")).isEqualTo("<invalid cloudtrail event: userIdentity field missing>");
        }

        @Test
        void oddValuesRenderEmpty() {
            assertThat(x("ct.info", "{'userIdentity':{'type':'IAMUser','userName':null},"
                    + "'sourceIPAddress':null,'eventName':3}")).isEqualTo(" ← ");
            assertThat(x("ct.info", "{'userIdentity':{'type':'AssumedRole'},'sourceIPAddress':'1.2.3.4',"
                    + "'eventName':'X','readOnly':true}")).isEqualTo("AssumedRole via 1.2.3.4 ← X");
        }
    }
}
