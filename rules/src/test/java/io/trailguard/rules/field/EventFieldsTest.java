package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFieldsTest {

    static final List<String> ALL = Arrays.asList("evt.num", "evt.time", "evt.time.s", "evt.time.iso8601",
            "evt.datetime", "evt.datetime.s", "evt.rawtime", "evt.rawtime.s", "evt.rawtime.ns", "evt.pluginname",
            "evt.plugininfo", "evt.source", "evt.is_async", "evt.asynctype", "evt.hostname");

    static final String S3_GET = "{'eventVersion':'1.08','userIdentity':{'type':'IAMUser','userName':'alice'},"
            + "'eventTime':'2023-07-10T11:42:05Z','eventSource':'s3.amazonaws.com','eventName':'GetObject',"
            + "'awsRegion':'us-east-1','sourceIPAddress':'192.168.10.20','readOnly':true,"
            + "'requestParameters':{'bucketName':'b','key':'k'},"
            + "'additionalEventData':{'bytesTransferredIn':0,'bytesTransferredOut':12}}";

    static CloudTrailEvent ev(String json, long num) {
        try {
            return CloudTrailEvent.ofRecord((ObjectNode) Json.mapper().readTree(json.replace('\'', '"')), num);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static Object x(String field, String json) {
        return x(field, json, 1);
    }

    static Object x(String field, String json, long num) {
        Field f = EventFields.resolve(field, null);
        assertThat(f).as(field).isNotNull();
        return f.extract(ev(json, num));
    }

    @Test
    void catalogue() {
        assertThat(EventFields.names()).containsExactlyInAnyOrderElementsOf(ALL);
        for (String n : ALL) {
            Field f = EventFields.resolve(n, null);
            assertThat(f.name()).isEqualTo(n);
            boolean number = n.equals("evt.num") || n.startsWith("evt.rawtime");
            assertThat(f.type()).as(n).isEqualTo(number ? ValueType.NUMBER : ValueType.STRING);
            assertThat(EventFields.resolve(n, null)).isSameAs(f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"evt.type", "evt.reltime", "evt.arg", "ct.name", "EVT.NUM", "evt",
            "evt.time.x", ""})
    void unknownNamesAreNull(String name) {
        assertThat(EventFields.resolve(name, null)).isNull();
    }

    @Test
    void nullName() {
        assertThat(EventFields.resolve(null, null)).isNull();
    }

    @Test
    void argumentsAreRejected() {
        assertThatThrownBy(() -> EventFields.resolve("evt.num", "1"))
                .isInstanceOf(UnknownFieldException.class).hasMessageContaining("evt.num");
        assertThatThrownBy(() -> EventFields.resolve("evt.time", ""))
                .isInstanceOf(UnknownFieldException.class);
    }

    @Test
    void num() {
        assertThat(x("evt.num", "{}", 42)).isEqualTo(42L);
        assertThat(x("evt.num", S3_GET, 1)).isEqualTo(1L);
    }

    @Test
    void timesOfAWholeSecond() {
        assertThat(x("evt.time", S3_GET)).isEqualTo("11:42:05.000000000");
        assertThat(x("evt.time.s", S3_GET)).isEqualTo("11:42:05");
        assertThat(x("evt.time.iso8601", S3_GET)).isEqualTo("2023-07-10T11:42:05.000000000Z");
        assertThat(x("evt.datetime", S3_GET)).isEqualTo("2023-07-10 11:42:05.000000000");
        assertThat(x("evt.datetime.s", S3_GET)).isEqualTo("2023-07-10 11:42:05");
        assertThat(x("evt.rawtime", S3_GET)).isEqualTo(1688989325_000_000_000L);
        assertThat(x("evt.rawtime.s", S3_GET)).isEqualTo(1688989325L);
        assertThat(x("evt.rawtime.ns", S3_GET)).isEqualTo(0L);
    }

    @Test
    void fractionalAndOffsetTimesAreUtc() {
        String json = "{'eventTime':'2024-02-29T23:59:59.123+01:00'}";
        assertThat(x("evt.time", json)).isEqualTo("22:59:59.123000000");
        assertThat(x("evt.time.s", json)).isEqualTo("22:59:59");
        assertThat(x("evt.time.iso8601", json)).isEqualTo("2024-02-29T22:59:59.123000000Z");
        assertThat(x("evt.datetime", json)).isEqualTo("2024-02-29 22:59:59.123000000");
        assertThat(x("evt.datetime.s", json)).isEqualTo("2024-02-29 22:59:59");
        assertThat(x("evt.rawtime", json)).isEqualTo(1709247599_123_000_000L);
        assertThat(x("evt.rawtime.s", json)).isEqualTo(1709247599L);
        assertThat(x("evt.rawtime.ns", json)).isEqualTo(123_000_000L);
    }

    @Test
    void epochAndEarlyTimes() {
        assertThat(x("evt.time.iso8601", "{'eventTime':'1970-01-01T00:00:00Z'}"))
                .isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(x("evt.rawtime", "{'eventTime':'1970-01-01T00:00:00Z'}")).isEqualTo(0L);
        String before = "{'eventTime':'1969-12-31T23:59:59.5Z'}";
        assertThat(x("evt.datetime", before)).isEqualTo("1969-12-31 23:59:59.500000000");
        assertThat(x("evt.rawtime", before)).isEqualTo(-500_000_000L);
        assertThat(x("evt.rawtime.s", before)).isEqualTo(-1L);
        assertThat(x("evt.rawtime.ns", before)).isEqualTo(500_000_000L);
        assertThat(x("evt.datetime.s", "{'eventTime':'0099-01-02T03:04:05Z'}")).isEqualTo("0099-01-02 03:04:05");
    }

    @Test
    void rawTimeOutOfTheNanosecondRangeIsAbsent() {
        String far = "{'eventTime':'2300-01-01T00:00:00Z'}";
        assertThat(x("evt.rawtime", far)).isNull();
        assertThat(x("evt.rawtime.s", far)).isEqualTo(10413792000L);
        assertThat(x("evt.datetime.s", far)).isEqualTo("2300-01-01 00:00:00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'eventTime':null}", "{'eventTime':'yesterday'}", "{'eventTime':1688989325}",
            "{'eventTime':'2023-07-10 11:42:05'}"})
    void timeFieldsAbsentWithoutTime(String json) {
        for (String f : ALL) {
            if (f.startsWith("evt.time") || f.startsWith("evt.datetime") || f.startsWith("evt.rawtime")) {
                assertThat(x(f, json)).as(f).isNull();
            }
        }
    }

    @Test
    void envelopeTimeIsUsedWhenTheRecordHasNone() throws Exception {
        ObjectNode rec = (ObjectNode) Json.mapper().readTree("{\"eventName\":\"X\"}");
        CloudTrailEvent e = new CloudTrailEvent(rec, "1", "eu-west-1", "2023-07-10T11:42:06Z", "AWS API Call via CloudTrail", 3);
        assertThat(EventFields.resolve("evt.time.s", null).extract(e)).isEqualTo("11:42:06");
    }

    @Test
    void constants() {
        for (String json : new String[] {"{}", S3_GET}) {
            assertThat(x("evt.pluginname", json)).isEqualTo("cloudtrail");
            assertThat(x("evt.source", json)).isEqualTo("aws_cloudtrail");
            assertThat(x("evt.is_async", json)).isEqualTo("false");
            assertThat(x("evt.asynctype", json)).as("no async events in a CloudTrail stream").isNull();
        }
    }

    @Test
    void hostname() {
        Object h = x("evt.hostname", "{}");
        assertThat(h).isInstanceOf(String.class);
        assertThat((String) h).isNotEmpty();
        assertThat(x("evt.hostname", S3_GET)).isSameAs(h);
    }

    @Test
    void pluginInfo() {
        assertThat(x("evt.plugininfo", S3_GET))
                .isEqualTo("us-east-1 alice s3 GetObject alice via 192.168.10.20 ← GetObject Size=12 URI=s3://b/k");
    }

    @Test
    void pluginInfoShapes() {
        String base = "'eventSource':'iam.amazonaws.com','awsRegion':'us-east-1','eventName':'CreateUser',"
                + "'sourceIPAddress':'1.2.3.4','readOnly':false";
        assertThat(x("evt.plugininfo", "{" + base + ",'userIdentity':{'type':'AssumedRole',"
                + "'sessionContext':{'sessionIssuer':{'userName':'admin-role'}}},'errorCode':'AccessDenied'}"))
                .isEqualTo("us-east-1 admin-role iam CreateUser admin-role via 1.2.3.4 !→ CreateUser");
        // ct.user present but empty: no user part
        assertThat(x("evt.plugininfo", "{" + base + ",'userIdentity':{'type':'IAMUser','userName':null}}"))
                .isEqualTo("us-east-1 iam CreateUser  via 1.2.3.4 → CreateUser");
        // ct.user absent: upstream glues getUser's placeholder to the region
        assertThat(x("evt.plugininfo", "{" + base + "}"))
                .isEqualTo("us-east-1 iam CreateUser <invalid cloudtrail event: userIdentity field missing>");
        assertThat(x("evt.plugininfo", "{" + base + ",'userIdentity':{'type':'IAMUser'}}"))
                .isEqualTo("us-east-1<NA> iam CreateUser <invalid cloudtrail event: userIdentity field missing>");
        assertThat(x("evt.plugininfo", "{" + base + ",'userIdentity':{'type':'SAMLUser','userName':'s'}}"))
                .isEqualTo("us-east-1<unknown user type> iam CreateUser "
                        + "<invalid cloudtrail event: userIdentity field missing>");
        // source without the amazonaws suffix is kept
        assertThat(x("evt.plugininfo", "{'eventSource':'eventSource1','awsRegion':'r','eventName':'N',"
                + "'userIdentity':{'type':'AWSAccount'},'sourceIPAddress':'AWSAccount'}"))
                .isEqualTo("r AWSAccount eventSource1 N AWSAccount ← N");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{'awsRegion':'r','eventName':'N'}",
            "{'eventSource':'s3.amazonaws.com','eventName':'N'}",
            "{'eventSource':'s3.amazonaws.com','awsRegion':'r'}",
            "{'eventSource':null,'awsRegion':'r','eventName':'N'}",
            "{'eventSource':'s3.amazonaws.com','awsRegion':1,'eventName':'N'}",
            "{'eventSource':'s3.amazonaws.com','awsRegion':'r','eventName':{}}",
    })
    void pluginInfoAbsentWithoutSourceRegionOrName(String json) {
        assertThat(x("evt.plugininfo", json)).isNull();
    }
}
