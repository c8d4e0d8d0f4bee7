package io.trailguard.job.serde;

import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.rules.engine.Alert;
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
        return new Alert("2024-03-01T00:00:00.000000000Z", 1709251200000L, "Root Account Activity", "Critical",
                "aws_cloudtrail", List.of("aws", "mitre_privilege_escalation"), "root used by alice \u00e9\u2028 \ud83d\ude00 lone \ud800",
                fields, "host", "3f2b1c4d-5e6f", "111122223333", "us-east-1");
    }

    private static Alert rateAlert() {
        Map<String, Object> aggregate = new LinkedHashMap<>();
        aggregate.put("count", 21L);
        aggregate.put("value", 3.5d);
        aggregate.put("small", 4);
        aggregate.put("group", Map.of("ct.srcip", "198.51.100.7"));
        aggregate.put("event_ids", new ArrayList<>(List.of("e1", "e2")));
        aggregate.put("exact", new BigDecimal("1.25")); // not one of the tagged types: through Kryo
        return new Alert("t", 5L, "Console Login Failures", "Warning", "aws_cloudtrail", List.of(), "o",
                new LinkedHashMap<>(), null, null, null, null, aggregate);
    }

    @Test
    void alertsSurviveTheNetworkFormat() throws IOException {
        for (TypeSerializer<Alert> s : both()) {
            for (Alert a : List.of(singleEvent(), rateAlert())) {
                Alert back = roundTrip(s, a);
                assertThat(back.toJson()).isEqualTo(a.toJson());
                assertThat(back.output()).isEqualTo(a.output()); // non-ASCII text, lone surrogate included
                assertThat(back.eventTimeMillis()).isEqualTo(a.eventTimeMillis());
                assertThat(back.outputFields()).isEqualTo(a.outputFields());
                assertThat(back.aggregate()).isEqualTo(a.aggregate());
            }
            assertThat(roundTrip(s, singleEvent()).aggregate()).isNull();
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
    }
}
