package io.trailguard.job.serde;

import io.trailguard.job.testing.AlertParts;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventReference;
import io.trailguard.rules.engine.EventSubject;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RateSummary;
import io.trailguard.rules.engine.ResourceKind;
import io.trailguard.rules.engine.RuleGuidance;
import io.trailguard.rules.engine.RuleIdentity;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerts through both of their serializers: the one of the pipeline's alert streams ({@link AlertTypeInfo}) and the
 * one Flink derives for alerts inside generic types once the pipeline's types are registered (Kryo).
 */
class AlertSerializersTest {

    private static TypeSerializer<Alert> serializer() {
        ExecutionConfig config = new ExecutionConfig();
        DetectionPipeline.registerTypes(config);
        return TypeInformation.of(Alert.class).createSerializer(config.getSerializerConfig());
    }

    private static List<TypeSerializer<Alert>> both() {
        return List.of(serializer(), AlertTypeInfo.INSTANCE.createSerializer(new ExecutionConfig().getSerializerConfig()));
    }

    private static Alert roundTrip(TypeSerializer<Alert> s, Alert a) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(a, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static Alert singleEvent() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ct.user", "alice");
        fields.put("ct.srcip", null);
        fields.put("evt.num", 7L);
        fields.put("json.path[$.x[*]]", Arrays.asList("a", "b"));
        return AlertParts.of("2024-03-01T00:00:00.000000000Z", 1709251200000L, "Root Account Activity", "Critical",
                "aws_cloudtrail", List.of("aws", "mitre_privilege_escalation"), "root used by alice \u00e9\u2028 \ud83d\ude00 lone \ud800",
                fields, "host", "3f2b1c4d-5e6f", "111122223333", "us-east-1");
    }

    private static Alert rateAlert() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("aggregate.count", 21L);
        fields.put("exact", new BigDecimal("1.25")); // not one of the tagged types: Java serialisation
        RateSummary rate = new RateSummary("value_count", "gte 3", 300_000L, Map.of("ct.srcip", "198.51.100.7"), 21L,
                3L, null, null, List.of("alice", "bob", "carol"), 1000L, 301_000L, 2000L, 5000L, "e1", "e2",
                List.of("e1", "e2"));
        return Alert.builder()
                .rule(new RuleIdentity("Console Login Failures", Priority.WARNING, List.of("attack.credential-access"),
                        "aws_cloudtrail", "failed logins", new RuleGuidance("Reset the password.",
                        "https://example.com/fix", List.of("https://example.com/ref"), null, List.of("typos")), "v3"))
                .event(EventReference.at("e2", 5000L, "111122223333", "us-east-1"))
                .subject(EventSubject.builder().sourceIp("198.51.100.7").principalArn("arn:aws:iam::1:user/a")
                        .resource(ResourceKind.IAM_USER, "a", "requestParameters/userName").build())
                .output("o").outputFields(fields).rate(rate).build();
    }

    /** The format-1 bytes of an alert, as the untyped alert's codec wrote them. */
    private static byte[] format1(String priority, boolean withAggregate) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        BinaryText.write("2024-03-01T00:00:00.000000000Z", out);
        out.writeLong(1709251200000L);
        BinaryText.write("Old Rule", out);
        BinaryText.write(priority, out);
        BinaryText.write("aws_cloudtrail", out);
        out.writeInt(1);
        BinaryText.write("aws", out);
        BinaryText.write("old output", out);
        out.writeInt(1);
        BinaryText.write("ct.user", out);
        out.writeByte(1);
        BinaryText.write("alice", out);
        BinaryText.write("host", out);
        BinaryText.write("ev-old", out);
        BinaryText.write("111122223333", out);
        BinaryText.write("us-east-1", out);
        out.writeBoolean(withAggregate);
        if (withAggregate) {
            out.writeInt(2);
            BinaryText.write("type", out);
            out.writeByte(1);
            BinaryText.write("event_count", out);
            BinaryText.write("count", out);
            out.writeByte(2);
            out.writeLong(4L);
        }
        return out.getCopyOfBuffer();
    }

    @Test
    void aCheckpointOfFormat1AlertsMigrates() throws IOException {
        // what the untyped alert's SimpleTypeSerializerSnapshot wrote: class name, version 3, no content
        DataOutputSerializer snap = new DataOutputSerializer(64);
        snap.writeUTF(AlertSerializer.Snapshot.class.getName());
        snap.writeInt(3);
        org.apache.flink.api.common.typeutils.TypeSerializerSnapshot<Alert> old =
                org.apache.flink.api.common.typeutils.TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(snap.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(AlertSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration()).isTrue();
        TypeSerializer<Alert> reader = old.restoreSerializer();
        Alert a = reader.deserialize(new DataInputDeserializer(format1("Error", true)));
        assertThat(a.rule().name()).isEqualTo("Old Rule");
        assertThat(a.rule().priority()).isEqualTo(Priority.ERROR);
        assertThat(a.event().id()).isEqualTo("ev-old");
        assertThat(a.outputFields()).containsEntry("ct.user", "alice");
        assertThat(a.rate().count()).isEqualTo(4L);
        assertThat(a.subject().isEmpty()).isTrue();
        // migrated: written again in the current format, read by the current serializer
        assertThat(roundTrip(AlertSerializer.INSTANCE, a)).isEqualTo(a);
        assertThat(reader.deserialize(new DataInputDeserializer(format1("Warning", false))).rate()).isNull();
    }

    @Test
    void aCheckpointOfFormat2AlertsMigratesWithTheVersionOfTheTags() throws IOException {
        Alert a = Alert.builder()
                .rule(new RuleIdentity("Tagged", Priority.WARNING, List.of("version:4"), "aws_cloudtrail", null,
                        RuleGuidance.NONE, "bundle-7"))
                .event(EventReference.at("ev-2", 1_700_000_000_000L, "111122223333", "eu-west-1"))
                .build();
        assertThat(a.rule().version()).isEqualTo("4");
        // format 2 is format 3 without the rule version after the bundle version
        DataOutputSerializer out = new DataOutputSerializer(256);
        AlertCodec.write(a, out);
        byte[] three = out.getCopyOfBuffer();
        DataOutputSerializer marker = new DataOutputSerializer(32);
        BinaryText.write("bundle-7", marker);
        BinaryText.write("4", marker);
        byte[] m = marker.getCopyOfBuffer();
        int at = indexOf(three, m);
        assertThat(at).isNotNegative();
        int versionBytes = 4 + 1;
        byte[] two = new byte[three.length - versionBytes];
        System.arraycopy(three, 0, two, 0, at + m.length - versionBytes);
        System.arraycopy(three, at + m.length, two, at + m.length - versionBytes, three.length - at - m.length);

        AlertSerializer.Snapshot old = new AlertSerializer.Snapshot(2);
        assertThat(AlertSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration()).isTrue();
        Alert read = old.restoreSerializer().deserialize(new DataInputDeserializer(two));
        assertThat(read).isEqualTo(a);
        assertThat(read.rule().version()).isEqualTo("4");
    }

    private static int indexOf(byte[] in, byte[] part) {
        for (int i = 0; i + part.length <= in.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(in, i, i + part.length), part)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void alertsSurviveTheNetworkFormat() throws IOException {
        for (TypeSerializer<Alert> s : both()) {
            for (Alert a : List.of(singleEvent(), rateAlert())) {
                Alert back = roundTrip(s, a);
                assertThat(back.toJson()).isEqualTo(a.toJson());
                assertThat(back.output()).isEqualTo(a.output()); // non-ASCII text, lone surrogate included
                assertThat(back.event().timeMillis()).isEqualTo(a.event().timeMillis());
                assertThat(back.outputFields()).isEqualTo(a.outputFields());
                assertThat(back.rate()).isEqualTo(a.rate());
                assertThat(back).isEqualTo(a);
            }
            assertThat(roundTrip(s, singleEvent()).rate()).isNull();
        }
    }

    @Test
    void alertsAreImmutableSoChainedCopiesShareThem() {
        Alert a = singleEvent();
        for (TypeSerializer<Alert> s : both()) {
            assertThat(s.copy(a)).isSameAs(a);
        }
    }

    @Test
    void theFormatIsCompact() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer().serialize(singleEvent(), out);
        int compact = out.length();
        java.io.ByteArrayOutputStream java = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(java)) {
            o.writeObject(singleEvent());
        }
        assertThat(compact).isLessThan(java.size() / 2);
    }

    @Test
    void theStreamSerializerSnapshotRestoresIt() throws IOException {
        org.apache.flink.api.common.typeutils.TypeSerializerSnapshot<Alert> snapshot =
                AlertSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        org.apache.flink.api.common.typeutils.TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        org.apache.flink.api.common.typeutils.TypeSerializerSnapshot<Alert> read =
                org.apache.flink.api.common.typeutils.TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isSameAs(AlertSerializer.INSTANCE);
        assertThat(AlertSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read)
                .isCompatibleAsIs()).isTrue();
    }
}
