package io.trailguard.job.serde;

import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateKeySerializerTest {
    private static byte[] bytes(org.apache.flink.api.common.typeutils.TypeSerializer<String> s, String v)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(v, out);
        return out.getCopyOfBuffer();
    }

    /** Its bytes are Flink's String serializer's both ways, so keys in checkpoints and RocksDB do not change. */
    @Test
    void writesAndReadsTheBytesOfFlinksStringSerializer() throws Exception {
        for (String key : new String[] {"", "rt-0123456\u00001.1.1.1", "é\u0000☃" + "x".repeat(300), null}) {
            byte[] ours = bytes(RateKeySerializer.INSTANCE, key);
            assertThat(ours).isEqualTo(bytes(StringSerializer.INSTANCE, key));
            assertThat(RateKeySerializer.INSTANCE.deserialize(new DataInputDeserializer(ours))).isEqualTo(key);
            assertThat(StringSerializer.INSTANCE.deserialize(new DataInputDeserializer(ours))).isEqualTo(key);
        }
    }

    /** Flink 1.20 asks the new key serializer's snapshot whether the previous one's state can be read as is. */
    @Test
    void readsAsIsWhatFlinksStringSerializerAndItselfWroteAndNothingElse() {
        TypeSerializerSnapshot<String> ours = RateKeySerializer.INSTANCE.snapshotConfiguration();
        assertThat(ours.resolveSchemaCompatibility(StringSerializer.INSTANCE.snapshotConfiguration())
                .isCompatibleAsIs()).isTrue();
        assertThat(ours.resolveSchemaCompatibility(new RateKeySerializer.Snapshot()).isCompatibleAsIs()).isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<String> ints = (TypeSerializerSnapshot) IntSerializer.INSTANCE.snapshotConfiguration();
        TypeSerializerSchemaCompatibility<String> c = ours.resolveSchemaCompatibility(ints);
        assertThat(c.isIncompatible()).isTrue();
        assertThat(ours.restoreSerializer()).isSameAs(RateKeySerializer.INSTANCE);
    }

    /** Until the restore on a thread is over, keys read on it are shared; after, they are returned as read. */
    @Test
    void aKeyReadTwiceInARestoreIsOneStringAndNotAfterIt() throws Exception {
        byte[] key = bytes(RateKeySerializer.INSTANCE, "rt-0123456\u0000198.51.100.7");
        OwnThread.run(() -> {
            String first = RateKeySerializer.INSTANCE.deserialize(new DataInputDeserializer(key));
            String second = RateKeySerializer.INSTANCE.duplicate().deserialize(new DataInputDeserializer(key));
            assertThat(second).isEqualTo("rt-0123456\u0000198.51.100.7").isSameAs(first);
            RestoredKeys.finished();
            String third = RateKeySerializer.INSTANCE.deserialize(new DataInputDeserializer(key));
            String fourth = RateKeySerializer.INSTANCE.deserialize(new DataInputDeserializer(key));
            assertThat(third).isEqualTo(first).isNotSameAs(first).isNotSameAs(fourth);
            return null;
        });
    }

    /** Past the table's largest size it starts over: every key still comes back equal, most of them shared. */
    @Test
    void aRestoreOfMoreKeysThanTheTableHoldsStillReadsEveryKey() throws Exception {
        OwnThread.run(() -> {
            int n = RestoredKeys.MAX_SLOTS / 2 + 1000;
            String[] first = new String[n];
            for (int i = 0; i < n; i++) {
                first[i] = RestoredKeys.intern(new String("k" + i));
            }
            int shared = 0;
            for (int i = n - 500; i < n; i++) {
                String again = RestoredKeys.intern(new String("k" + i));
                assertThat(again).isEqualTo("k" + i);
                shared += again == first[i] ? 1 : 0;
            }
            assertThat(shared).as("the keys read since the table started over").isEqualTo(500);
            RestoredKeys.finished();
            return null;
        });
    }

    @Test
    void theKeyTypeIsAKeyTypeWithThisSerializer() {
        assertThat(RateKeyTypeInfo.INSTANCE.isKeyType()).isTrue();
        assertThat(RateKeyTypeInfo.INSTANCE.getTypeClass()).isEqualTo(String.class);
        assertThat(RateKeyTypeInfo.INSTANCE.createSerializer(new org.apache.flink.api.common.ExecutionConfig()))
                .isSameAs(RateKeySerializer.INSTANCE);
    }
}
