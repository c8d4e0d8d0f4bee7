package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every field over the shared CloudTrail corpora (Stratus Red Team detonation logs and the invictus-ir
 * log files) when they are present; skipped otherwise.
 */
class CorpusFieldsTest {
    private static final int STRATUS_RECORDS = 310;
    private static final int INVICTUS_RECORDS = 2900;

    private static List<CloudTrailEvent> events;
    private static Map<String, CloudTrailEvent> byId;

    @BeforeAll
    static void load() throws IOException {
        Path corpora = null;
        for (String candidate : new String[] {"../shared/corpora", "../../shared/corpora"}) {
            Path p = Paths.get("").toAbsolutePath().resolve(candidate).normalize();
            if (Files.isDirectory(p)) {
                corpora = p;
                break;
            }
        }
        events = new ArrayList<>();
        byId = new HashMap<>();
        if (corpora == null) {
            return;
        }
        long n = 0;
        for (Path f : jsonFiles(corpora.resolve("stratus-red-team/detonation-logs"))) {
            for (JsonNode r : read(f)) {
                add((ObjectNode) r, ++n);
            }
        }
        for (Path f : jsonFiles(corpora.resolve("invictus-ir-aws_dataset/CloudTrail"))) {
            for (JsonNode r : read(f).get("Records")) {
                add((ObjectNode) r, ++n);
            }
        }
    }

    private static void add(ObjectNode record, long num) {
        CloudTrailEvent e = CloudTrailEvent.ofRecord(record, num);
        events.add(e);
        byId.put(e.eventId(), e);
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            ds.forEach(files::add);
        }
        Collections.sort(files);
        return files;
    }

    private static JsonNode read(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return Json.mapper().readTree(in);
        }
    }

    private static void assumeCorpora() {
        assumeTrue(!events.isEmpty(), "shared corpora not found next to the project");
    }

    private static List<Field> allFields() {
        List<Field> fields = new ArrayList<>();
        for (String n : CloudTrailFields.names()) {
            fields.add(CloudTrailFields.resolve(n, null));
        }
        fields.add(CloudTrailFields.resolve("ec2.imageids", "0"));
        fields.add(CloudTrailFields.resolve("ec2.imageids", "1"));
        for (String n : EventFields.names()) {
            fields.add(EventFields.resolve(n, null));
        }
        return fields;
    }

    private static Object x(String field, String eventId) {
        Field f = CloudTrailFields.resolve(field, null);
        if (f == null) {
            f = EventFields.resolve(field, null);
        }
        CloudTrailEvent e = byId.get(eventId);
        assertThat(e).as(eventId).isNotNull();
        return f.extract(e);
    }

    @Test
    void readsEveryRecord() {
        assumeCorpora();
        assertThat(events).hasSize(STRATUS_RECORDS + INVICTUS_RECORDS);
        assertThat(byId).hasSize(events.size());
    }

    @Test
    void everyFieldExtractsWithItsTypeOnEveryRecord() {
        assumeCorpora();
        for (Field f : allFields()) {
            for (CloudTrailEvent e : events) {
                Object v = f.extract(e);
                if (v == null) {
                    continue;
                }
                switch (f.type()) {
                    case STRING:
                        assertThat(v).as(f.name() + " on " + e).isInstanceOf(String.class);
                        break;
                    case NUMBER:
                        assertThat(v).as(f.name() + " on " + e).isInstanceOf(Long.class);
                        break;
                    case LIST:
                        assertThat(v).as(f.name() + " on " + e).isInstanceOf(List.class);
                        for (Object o : (List<?>) v) {
                            assertThat(o).as(f.name() + " on " + e).isInstanceOf(String.class);
                        }
                        break;
                    default:
                        throw new AssertionError(f.type());
                }
            }
        }
    }

    @Test
    void corpusWideCounts() {
        assumeCorpora();
        Field user = CloudTrailFields.resolve("ct.user", null);
        Field info = CloudTrailFields.resolve("ct.info", null);
        Field readOnly = CloudTrailFields.resolve("ct.readonly", null);
        Field time = EventFields.resolve("evt.time.iso8601", null);
        Field pluginInfo = EventFields.resolve("evt.plugininfo", null);
        int noUser = 0;
        int invalidInfo = 0;
        for (CloudTrailEvent e : events) {
            if (user.extract(e) == null) {
                noUser++;
            }
            if (((String) info.extract(e)).startsWith("<invalid")) {
                invalidInfo++;
            }
            assertThat(readOnly.extract(e)).isIn("true", "false");
            assertThat(time.extract(e)).isNotNull();
            assertThat(pluginInfo.extract(e)).isNotNull();
        }
        // 42 invictus AwsServiceEvent records have no userIdentity.type; every other type in the data is mapped
        assertThat(noUser).isEqualTo(42);
        assertThat(invalidInfo).isEqualTo(42);
    }

    @Test
    void assumedRoleRecord() {
        assumeCorpora();
        String id = "450230d4-b39e-4a18-a6a0-d07a6e2105cb"; // stratus ec2-get-password-data
        assertThat(x("ct.user", id)).isEqualTo("stratus-red-team-ec2-get-password-data-role");
        assertThat(x("aws.user", id)).isEqualTo("stratus-red-team-ec2-get-password-data-role");
        assertThat(x("ct.originaluser", id)).isEqualTo("aws-go-sdk-1722375070115152000");
        assertThat(x("ct.user.identitytype", id)).isEqualTo("AssumedRole");
        assertThat(x("ct.user.accountid", id)).isEqualTo("457448411975");
        assertThat(x("ct.error", id)).isEqualTo("Client.UnauthorizedOperation");
        assertThat(x("ct.shortsrc", id)).isEqualTo("ec2");
        assertThat(x("ct.response", id)).isEqualTo("null");
        assertThat(x("ct.request", id)).isEqualTo("{\"instanceId\":\"i-i2jnm5swa59p4fxg\"}");
        assertThat(x("ct.tlsdetails.tlsversion", id)).isEqualTo("TLSv1.3");
        assertThat(x("ct.readonly", id)).isEqualTo("true");
        assertThat(x("ct.managementevent", id)).isEqualTo("true");
        assertThat(x("ct.info", id))
                .isEqualTo("stratus-red-team-ec2-get-password-data-role via 200.249.253.51 !← GetPasswordData");
        assertThat(x("evt.plugininfo", id)).isEqualTo("apiso-northsouth-3r stratus-red-team-ec2-get-password-data-role"
                + " ec2 GetPasswordData stratus-red-team-ec2-get-password-data-role via 200.249.253.51"
                + " !← GetPasswordData");
        assertThat(x("evt.time.iso8601", id)).isEqualTo("2024-07-30T21:31:21.000000000Z");
        assertThat(x("s3.cnt.other", id)).isEqualTo(1L);
    }

    @Test
    void s3ConsoleRecord() {
        assumeCorpora();
        String id = "3c856bc0-1a07-4c18-89d9-4d9205856714"; // invictus GetBucketPublicAccessBlock
        String bucket = "baker221b-bucketssecuritylogsbef08b3e-13nrzhi7fcs7w";
        assertThat(x("ct.user", id)).isEqualTo("benjamin");
        assertThat(x("ct.originaluser", id)).isEqualTo("benjamin");
        assertThat(x("s3.bucket", id)).isEqualTo(bucket);
        assertThat(x("s3.key", id)).isNull();
        assertThat(x("s3.uri", id)).isNull();
        assertThat(x("s3.bytes", id)).isEqualTo(326L);
        assertThat(x("s3.bytes.in", id)).isEqualTo(0L);
        assertThat(x("s3.bytes.out", id)).isEqualTo(326L);
        assertThat(x("ct.request.host", id)).isEqualTo(bucket + ".s3.us-east-1.amazonaws.com");
        assertThat(x("ct.vpcendpointid", id)).isEqualTo("vpce-f40dc59d");
        assertThat(x("ct.resources", id)).isEqualTo("{\"accountId\":\"123837392027\",\"type\":\"AWS::S3::Bucket\","
                + "\"ARN\":\"arn:aws:s3:::" + bucket + "\"}");
        assertThat(x("ct.info", id))
                .isEqualTo("benjamin via 10.248.16.43 ← GetBucketPublicAccessBlock Size=326 Bucket=" + bucket);
        assertThat(x("ct.error", id)).isNull();
    }

    @Test
    void serviceEventWithoutIdentityType() {
        assumeCorpora();
        String id = "895dc875-cb08-45a5-b8c2-9158838741c0"; // invictus SharedSnapshotVolumeCreated
        assertThat(x("ct.user", id)).isNull();
        assertThat(x("ct.originaluser", id)).isNull();
        assertThat(x("ct.user.accountid", id)).isEqualTo("123837392027");
        assertThat(x("ct.readonly", id)).isEqualTo("false");
        assertThat(x("ct.serviceeventdetails", id)).isEqualTo("");
        assertThat(x("ct.sharedeventid", id)).isEqualTo("b81f7fe5-36b5-49ea-bbc9-6a9007e733c0");
        assertThat(x("ct.request", id)).isEqualTo("null");
        assertThat(x("ct.info", id)).isEqualTo("<invalid cloudtrail event: userIdentity field missing>");
        assertThat(x("evt.plugininfo", id))
                .isEqualTo("us-east-1 ec2 SharedSnapshotVolumeCreated <invalid cloudtrail event: userIdentity field missing>");
    }

    @Test
    void otherIdentityTypes() {
        assumeCorpora();
        assertThat(x("ct.user", "91529247-c4c4-4793-afc8-d70bbcfe9d19")).isEqualTo("FederatedUser");
        assertThat(x("ct.originaluser", "91529247-c4c4-4793-afc8-d70bbcfe9d19")).isNull();
        assertThat(x("ct.info", "91529247-c4c4-4793-afc8-d70bbcfe9d19"))
                .isEqualTo("FederatedUser via 255.090.254.5 ← GetCallerIdentity");
        assertThat(x("ct.user", "a4a7b25e-c2d5-436f-8a7e-ea89f50541ab")).isEqualTo("inspector2.amazonaws.com");
        assertThat(x("ct.info", "a4a7b25e-c2d5-436f-8a7e-ea89f50541ab"))
                .isEqualTo("inspector2.amazonaws.com ← AssumeRole");
    }

    @Test
    void runInstances() {
        assumeCorpora();
        String ok = "86eac0ac-8521-4126-aa32-a22f2b74d02e";
        assertThat(x("ec2.imageids", ok)).isEqualTo(Arrays.asList("ami-029eb80bc237bec6f"));
        assertThat(x("ec2.imageid", ok)).isEqualTo("ami-029eb80bc237bec6f");
        assertThat(x("ct.response.reservationid", ok)).isEqualTo("r-0ac0088de73525c3c");
        assertThat(x("ec2.name", ok)).isNull(); // only a StratusRedTeam tag
        // failed call: responseElements is null and the request's imageId sits under instancesSet.items
        String failed = "8e865acb-b1e1-41d1-bdf3-47462f79d24c";
        assertThat(x("ct.error", failed)).isEqualTo("Client.VcpuLimitExceeded");
        assertThat(x("ec2.imageids", failed)).isNull();
        assertThat(x("ec2.imageid", failed)).isNull();
        assertThat(x("ct.request.subnetid", failed)).isEqualTo("subnet-096553f59d783f082");
    }
}
