package io.trailguard.job.serde;

import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluatedSerializerTest {

    private static TypeSerializer<Evaluated> serializer() {
        ExecutionConfig config = new ExecutionConfig();
        DetectionPipeline.registerTypes(config);
        return TypeInformation.of(Evaluated.class).createSerializer(config.getSerializerConfig());
    }

    private static Alert alert(String rule) {
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        fields.put("ct.user", "alice");
        fields.put("ct.srcip", null);
        return new Alert("2024-03-01T00:00:00.000000000Z", 1709251200000L, rule, "Critical", "aws_cloudtrail",
                List.of("aws"), "out", fields, "h", "e1", "111122223333", "us-east-1");
    }

    private static Signal signal() {
        return new Signal("Console Login Failures", "fp", new String[] {"198.51.100.7"}, 5L, "e1", null,
                new String[] {"198.51.100.7", null}, "111122223333", "us-east-1");
    }

    private static Evaluated roundTrip(TypeSerializer<Evaluated> s, Evaluated e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        s.serialize(e, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void theDeclaredTypeUsesTheDedicatedSerializer() {
        assertThat(TypeInformation.of(Evaluated.class)).isInstanceOf(EvaluatedTypeInfo.class);
        assertThat(serializer()).isInstanceOf(EvaluatedSerializer.class);
    }

    @Test
    void recordsRoundTrip() throws IOException {
        TypeSerializer<Evaluated> s = serializer();
        Evaluated full = new Evaluated("e1", 1709251200000L, List.of(alert("A"), alert("B")), List.of(signal()));
        Evaluated back = roundTrip(s, full);
        assertThat(back.eventKey).isEqualTo("e1");
        assertThat(back.eventTimeMillis).isEqualTo(1709251200000L);
        assertThat(back.alerts).extracting(Alert::toJson).containsExactly(alert("A").toJson(), alert("B").toJson());
        assertThat(back.signals).hasSize(1);
        Signal sig = back.signals.get(0);
        assertThat(sig.rule).isEqualTo("Console Login Failures");
        assertThat(sig.group).containsExactly("198.51.100.7");
        assertThat(sig.outputValues).containsExactly("198.51.100.7", null);
        assertThat(sig.value).isNull();

        Evaluated empty = new Evaluated();
        empty.eventTimeMillis = Long.MIN_VALUE;
        Evaluated emptyBack = roundTrip(s, empty);
        assertThat(emptyBack.eventKey).isNull();
        assertThat(emptyBack.alerts).isNull();
        assertThat(emptyBack.signals).isNull();
        assertThat(emptyBack.eventTimeMillis).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void copiesShareAlertsButNotSignals() {
        Evaluated e = new Evaluated("e1", 1L, new ArrayList<>(List.of(alert("A"))), new ArrayList<>(List.of(signal())));
        Evaluated c = serializer().copy(e);
        assertThat(c.alerts.get(0)).isSameAs(e.alerts.get(0));
        assertThat(c.alerts).isNotSameAs(e.alerts);
        assertThat(c.signals.get(0)).isNotSameAs(e.signals.get(0));
        assertThat(c.signals.get(0).eventId).isEqualTo("e1");
    }

    @Test
    void itsSnapshotRestoresAnEqualCompatibleSerializer() throws IOException {
        TypeSerializer<Evaluated> s = serializer();
        TypeSerializerSnapshot<Evaluated> snapshot = s.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<Evaluated> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(s);
        TypeSerializerSchemaCompatibility<Evaluated> compat =
                s.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }
}
