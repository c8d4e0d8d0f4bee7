package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.FindingTimeline;
import io.trailguard.rules.engine.FindingTimes;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FindingTimesTest {
    private final FindingMapper mapper = new FindingMapper("eu-central-1");

    @Test
    void createdAtIsWhenTrailguardCreatedTheFindingNotTheEventTime() {
        Alert a = TestAlerts.single("R", "evt-1");
        long now = TestAlerts.T0 + 400L * 24 * 3600 * 1000; // a replay of a year-old log
        AwsSecurityFinding f = mapper.map(a, FindingTimes.at(now));
        assertThat(f.createdAt()).isEqualTo(FindingMapper.formatTime(now)).isEqualTo(f.updatedAt());
        assertThat(f.firstObservedAt()).isEqualTo(FindingMapper.formatTime(TestAlerts.T0));
    }

    @Test
    void theConverterWritesTheStampedTimesOfARateFindingFiringAgain() {
        SecurityHubSink.FindingConverter converter = new SecurityHubSink.FindingConverter(mapper);
        String p = "arn:aws:iam::" + TestAlerts.ACCOUNT + ":user/bob";
        FindingTimes created = FindingTimeline.next(null, 1_000_000L);
        FindingTimes updated = FindingTimeline.next(created, 1_000_000L);
        FindingEntry first = converter.apply(TestAlerts.rate("Many", p, TestAlerts.T0, 6).withFindingTimes(created),
                null);
        FindingEntry again = converter.apply(TestAlerts.rate("Many", p, TestAlerts.T0, 9).withFindingTimes(updated),
                null);
        assertThat(again.findingId()).isEqualTo(first.findingId());
        assertThat(again.times()).isEqualTo(new FindingTimes(1_000_000L, 1_000_001L));
        AwsSecurityFinding f = again.finding(mapper);
        assertThat(f.createdAt()).isEqualTo(FindingMapper.formatTime(1_000_000L));
        assertThat(f.updatedAt()).isEqualTo(FindingMapper.formatTime(1_000_001L));
        assertThat(f.productFields()).containsEntry("trailguard/Aggregate/Count", "9");
    }

    @Test
    void anAlertWithoutFindingTimesIsANewFindingNow() {
        long before = System.currentTimeMillis();
        FindingEntry e = new SecurityHubSink.FindingConverter(mapper).apply(TestAlerts.single("R", "evt-1"), null);
        assertThat(e.times().createdAt()).isGreaterThanOrEqualTo(before).isEqualTo(e.times().updatedAt());
    }

    @Test
    void theBufferStateKeepsTheTimesAndVersion1StateStillRestores() throws Exception {
        FindingEntryStateSerializer s = new FindingEntryStateSerializer();
        Alert a = TestAlerts.single("R", "evt-1");
        FindingEntry e = FindingEntry.of(a, mapper, new FindingTimes(5000L, 7000L));
        Deque<RequestEntryWrapper<FindingEntry>> q = new ArrayDeque<>();
        q.add(new RequestEntryWrapper<>(e, e.sizeInBytes()));
        byte[] bytes = s.serialize(new BufferedRequestState<>(q));
        List<RequestEntryWrapper<FindingEntry>> back = s.deserialize(s.getVersion(), bytes).getBufferedRequestEntries();
        assertThat(back).hasSize(1);
        assertThat(back.get(0).getRequestEntry().times().updatedAt()).isEqualTo(7000L);
        assertThat(back.get(0).getRequestEntry().finding(mapper).updatedAt()).isEqualTo(FindingMapper.formatTime(7000L));

        // version 1, as the connector frames it: identifier -1, count, then per entry its size and the entry
        // (finding id, alert JSON, size; no times)
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeLong(-1L);
            out.writeInt(1);
            out.writeLong(e.sizeInBytes());
            out.writeUTF(e.findingId());
            byte[] json = a.toJson().getBytes(StandardCharsets.UTF_8);
            out.writeInt(json.length);
            out.write(json);
            out.writeLong(e.sizeInBytes());
        }
        byte[] old = buf.toByteArray();
        long before = System.currentTimeMillis();
        FindingEntry restored = s.deserialize(1, old).getBufferedRequestEntries().get(0).getRequestEntry();
        assertThat(restored.findingId()).isEqualTo(e.findingId());
        assertThat(restored.alert()).isEqualTo(a);
        assertThat(restored.times().createdAt()).isGreaterThanOrEqualTo(before);
    }
}
