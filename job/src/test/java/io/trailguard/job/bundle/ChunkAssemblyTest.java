package io.trailguard.job.bundle;

import io.trailguard.job.TestRules;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkAssemblyTest {

    static RuleBundle bigBundle(String version, int bytes) {
        return TestRules.bigBundle(version, bytes);
    }

    @Test
    void smallBundleIsOneRecord() {
        List<byte[]> records = ControlMessage.encode(TestRules.base(), ControlMessage.MAX_RECORD_BYTES);
        assertThat(records).hasSize(1);
        ChunkAssembly.Outcome o = new ChunkAssembly().accept(records.get(0), "shard-0:1");
        assertThat(o.rejections).isEmpty();
        assertThat(o.bundle.hash()).isEqualTo(TestRules.base().hash());
        assertThat(o.bundle.origin()).isEqualTo("shard-0:1");
    }

    @Test
    void largeBundleIsChunkedUnderTheRecordLimitAndReassembled() {
        RuleBundle big = bigBundle("big", 2_500_000);
        List<byte[]> records = ControlMessage.encode(big, ControlMessage.MAX_RECORD_BYTES);
        assertThat(records.size()).isGreaterThan(3);
        assertThat(records).allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(ControlMessage.MAX_RECORD_BYTES));
        ChunkAssembly a = new ChunkAssembly();
        RuleBundle out = null;
        for (int i = 0; i < records.size(); i++) {
            ChunkAssembly.Outcome o = a.accept(records.get(i), "shard-0:" + i);
            assertThat(o.rejections).isEmpty();
            if (i < records.size() - 1) {
                assertThat(o.bundle).isNull();
            } else {
                out = o.bundle;
            }
        }
        assertThat(out).isNotNull();
        assertThat(out.files()).isEqualTo(big.files());
        assertThat(out.hashMatches()).isTrue();
        assertThat(a.pendingSets()).isZero();
    }

    @Test
    void chunksMayArriveOutOfOrderAndSurviveACheckpoint() {
        RuleBundle big = bigBundle("big", 2_000_000);
        List<byte[]> records = new ArrayList<>(ControlMessage.encode(big, ControlMessage.MAX_RECORD_BYTES));
        Collections.reverse(records);
        ChunkAssembly first = new ChunkAssembly();
        first.accept(records.get(0), "s:1");
        first.accept(records.get(1), "s:2");
        ChunkAssembly restored = new ChunkAssembly();
        restored.restore(first.pendingChunks(), 0L);
        assertThat(restored.pendingSets()).isEqualTo(1);
        RuleBundle out = null;
        for (int i = 2; i < records.size(); i++) {
            out = restored.accept(records.get(i), "s:" + (i + 1)).bundle;
        }
        assertThat(out).isNotNull();
        assertThat(out.hash()).isEqualTo(big.hash());
    }

    @Test
    void incompleteSetsAreDroppedWithARejection() {
        ChunkAssembly a = new ChunkAssembly();
        List<ChunkAssembly.Rejection> rejections = new ArrayList<>();
        for (int v = 0; v < ChunkAssembly.MAX_PENDING_SETS + 1; v++) {
            List<byte[]> records = ControlMessage.encode(bigBundle("v" + v, 1_500_000), ControlMessage.MAX_RECORD_BYTES);
            rejections.addAll(a.accept(records.get(0), "s:" + v).rejections);
        }
        assertThat(a.pendingSets()).isEqualTo(ChunkAssembly.MAX_PENDING_SETS);
        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.version).isEqualTo("v0");
            assertThat(r.incomplete).isTrue();
            assertThat(r.reason).startsWith("incomplete chunked bundle v0: 1 of ").contains(" chunks: 0 (missing 1, ");
        });
    }

    @Test
    void malformedMessagesAreRejectedNotThrown() {
        ChunkAssembly a = new ChunkAssembly();
        String[] bad = {"not json", "[1,2]", "{\"type\":\"other\"}",
                "{\"type\":\"chunk\",\"version\":\"v\",\"hash\":\"h\",\"index\":3,\"count\":2,\"data\":\"\"}",
                "{\"type\":\"chunk\",\"version\":\"v\",\"hash\":\"h\",\"index\":0,\"count\":1,\"data\":\"%%%\"}",
                "{\"type\":\"chunk\",\"version\":\"v\",\"hash\":\"h\",\"index\":0,\"count\":1,\"data\":\"e30=\"}"};
        for (String b : bad) {
            ChunkAssembly.Outcome o = a.accept(b.getBytes(StandardCharsets.UTF_8), "s:1");
            assertThat(o.bundle).as(b).isNull();
            assertThat(o.rejections).as(b).hasSize(1);
        }
    }
}
