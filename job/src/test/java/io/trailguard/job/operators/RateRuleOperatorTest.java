package io.trailguard.job.operators;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.serde.RateKeyTypeInfo;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The keyed rate-rule operator with Flink's harness: thresholds, windows, lateness, rule changes, restore. */
class RateRuleOperatorTest {
    static final long MIN = 60_000L;
    static final long T0 = 1_700_000_000_000L;

    static String rule(String name, String aggregate) {
        return "- rule: " + name + "\n  desc: d\n  condition: ct.name = \"ConsoleLogin\"\n"
                + "  aggregate:\n" + aggregate
                + "  output: '%aggregate.count logins from %ct.srcip (%aggregate.first_event_id..%aggregate.last_event_id)'\n"
                + "  priority: WARNING\n  source: aws_cloudtrail\n";
    }

    static final String BURST = rule("Burst", "    type: event_count\n    group_by: [ct.srcip]\n    timespan: 5m\n    gte: 3\n");
    static final String FEW = rule("Few", "    type: event_count\n    group_by: [ct.srcip]\n    timespan: 5m\n    lt: 3\n");
    static final String USERS = rule("Users", "    type: value_count\n    group_by: [ct.srcip]\n    field: ct.user\n"
            + "    timespan: 10m\n    gte: 3\n");

    static RuleBundle bundle(String version, String... files) {
        List<BundleFile> fs = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            fs.add(new BundleFile("rules" + i + ".yaml", files[i]));
        }
        return RuleBundle.of(version, "2026-01-01T00:00:00Z", fs, "shardId-000000000000:" + (100 + version.hashCode() % 50));
    }

    static Rule ruleOf(RuleBundle b, String name) {
        return CompiledBundle.compile(b, MatchingMode.ALL).ruleSet().rule(name);
    }

    static Signal signal(RuleBundle b, String rule, String ip, long time, String id, String user) {
        Rule r = ruleOf(b, rule);
        return new Signal(rule, r.fingerprint(), new String[] {ip}, time, id, user, new String[] {ip}, "111122223333",
                "us-east-1");
    }

    static KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> harness(RuleBundle startup,
            boolean bounded, OperatorSubtaskState restore) throws Exception {
        return harness(startup, bounded, restore, RateKeyTypeInfo.INSTANCE);
    }

    /** The operator keyed as the job keys it, or by another key type (an earlier job's). */
    static KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> harness(RuleBundle startup,
            boolean bounded, OperatorSubtaskState restore, TypeInformation<String> keyType) throws Exception {
        CoBroadcastWithKeyedOperator<String, Signal, RuleBundle, Alert> operator = new CoBroadcastWithKeyedOperator<>(
                new RateRuleOperator(new ActiveRules(startup, MatchingMode.ALL, BundleVerifier.none()), bounded,
                        10 * MIN, 1),
                Collections.singletonList(Descriptors.RULES));
        KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = new KeyedBroadcastOperatorTestHarness<>(
                operator, (KeySelector<Signal, String>) Signal::key, keyType, 1, 1, 0);
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        operator.processWatermarkStatus2(WatermarkStatus.IDLE); // as NoEventTime declares the bundle input in the job
        return h;
    }

    static void send(KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h, Signal s) throws Exception {
        h.processElement(new StreamRecord<>(s, s.time));
    }

    static List<Alert> alerts(KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h) {
        return h.extractOutputValues();
    }

    @Test
    void firesAtTheThresholdNotBelowAndOncePerBurst() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Burst", "1.1.1.1", T0, "a", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", T0 + MIN, "b", "u"));
            send(h, signal(b, "Burst", "2.2.2.2", T0 + MIN, "x", "u"));
            assertThat(alerts(h)).isEmpty();
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 2 * MIN, "c", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 3 * MIN, "d", "u"));
            assertThat(alerts(h)).hasSize(1);
            Alert a = alerts(h).get(0);
            assertThat(a.output()).isEqualTo("3 logins from 1.1.1.1 (a..c)");
            assertThat(a.rate().toMap()).containsEntry("count", 3L);
            assertThat(a.rate().toMap().get("group")).isEqualTo(java.util.Map.of("ct.srcip", "1.1.1.1"));
            // a new burst after the timespan fires again
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 8 * MIN, "e", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 8 * MIN + 1, "f", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 8 * MIN + 2, "g", "u"));
            assertThat(alerts(h)).hasSize(2);
        }
    }

    /** A busy group registers one cleanup timer per second of event time, and its state still goes once idle. */
    @Test
    void cleanupTimersAreCoalescedPerSecondAndStillEvict() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            long second = (T0 / 1000 + 1) * 1000;
            for (int i = 0; i < 100; i++) {
                send(h, signal(b, "Burst", "1.1.1.1", second + i * 10, "e" + i, "u")); // 100 events in one second
            }
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(RateRuleOperator.cleanupTime(second + 1)).isEqualTo(second + 1000);
            assertThat(RateRuleOperator.cleanupTime(second)).isEqualTo(second);
            assertThat(RateRuleOperator.cleanupTime(-1)).isEqualTo(0);
            assertThat(stateEntries(h)).isEqualTo(1);
            // the watermark passes the last entry's time + timespan + allowed lateness: the group's state is gone
            h.processWatermark(new Watermark(second + 990 + 15 * MIN + 1000));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(stateEntries(h)).isZero();
        }
    }

    /**
     * A key holds one cleanup timer however many entries it has: the timer of its oldest entry, which evicts what
     * has expired and sets the timer of the oldest entry left. An entry stays while a signal the watermark still
     * accepts can have it in its window (5 minutes, 10 minutes of allowed lateness), and goes within a second after.
     */
    @Test
    void oneCleanupTimerPerKeyExpiresEachEntryOnTimeAndNoEarlier() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        long t = T0; // a whole second
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Burst", "1.1.1.1", t, "a", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", t + 6 * MIN, "b", "u"));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // the last watermark at which a late signal (at watermark - 10 min) still has "a" in its window
            h.processWatermark(new Watermark(t + 15 * MIN - 1));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).containsExactly("a", "b");
            send(h, signal(b, "Burst", "1.1.1.1", t + 5 * MIN - 1, "x1", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", t + 5 * MIN - 1, "x2", "u"));
            assertThat(alerts(h)).hasSize(1);
            assertThat(alerts(h).get(0).rate().toMap()).containsEntry("count", 3L).containsEntry("first_event_id", "a");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // a's cleanup time (its time + 15 min + 1 ms, up to the second): a goes, the next timer is x1's
            h.processWatermark(new Watermark(t + 15 * MIN + 999));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).containsExactly("a", "x1", "x2", "b");
            h.processWatermark(new Watermark(t + 15 * MIN + 1000));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).containsExactly("x1", "x2", "b");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(new Watermark(t + 20 * MIN));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).containsExactly("b");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // an evicted entry does not count: late signals at watermark - 10 min see b and themselves only
            send(h, signal(b, "Burst", "1.1.1.1", t + 10 * MIN, "y1", "u"));
            assertThat(alerts(h)).hasSize(1);
            send(h, signal(b, "Burst", "1.1.1.1", t + 10 * MIN, "y2", "u"));
            assertThat(alerts(h)).hasSize(2);
            assertThat(alerts(h).get(1).rate().toMap()).containsEntry("count", 3L).containsEntry("first_event_id", "b");
            h.processWatermark(new Watermark(t + 21 * MIN + 999));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).containsExactly("b", "y1", "y2");
            h.processWatermark(new Watermark(t + 21 * MIN + 1000));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).containsExactly("y1", "y2");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(new Watermark(t + 25 * MIN + 1000));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).isEmpty();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(stateEntries(h)).isZero();
        }
    }

    /** A signal older than every entry of its key (out of order) sets its own, earlier cleanup timer. */
    @Test
    void aSignalOlderThanEveryEntrySetsItsOwnEarlierTimer() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        long t = T0;
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Burst", "1.1.1.1", t + 6 * MIN, "c", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", t + MIN, "d", "u"));
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            h.processWatermark(new Watermark(t + 16 * MIN + 1000));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).containsExactly("c");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(new Watermark(t + 21 * MIN + 1000));
            assertThat(entries(h, b, "Burst", "1.1.1.1")).isEmpty();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /** The event ids of a key's entries, oldest first (empty when the key has no state). */
    private static List<String> entries(KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h,
                                        RuleBundle b, String rule, String ip) throws Exception {
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(signal(b, rule, ip, 0, "k", "u").key());
        io.trailguard.rules.aggregate.WindowState ws = io.trailguard.rules.aggregate.StoredWindow.open(
                backend.getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                        org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE, RateDescriptors.WINDOWS)
                        .value());
        List<String> ids = new ArrayList<>();
        for (int i = 0; ws != null && i < ws.size; i++) {
            ids.add(ws.entry(i).eventId());
        }
        return ids;
    }

    @Test
    void slidingAcrossABucketBoundaryAndOutOfOrder() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            long boundary = (T0 / (5 * MIN) + 1) * (5 * MIN);
            send(h, signal(b, "Burst", "1.1.1.1", boundary + 30_000, "c", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", boundary - 60_000, "a", "u"));
            assertThat(alerts(h)).isEmpty();
            send(h, signal(b, "Burst", "1.1.1.1", boundary - 10_000, "b", "u"));
            assertThat(alerts(h)).hasSize(1);
            assertThat(alerts(h).get(0).rate().toMap()).containsEntry("first_event_id", "a").containsEntry("last_event_id", "c");
        }
    }

    @Test
    void lateEventsCountWithinTheAllowedLatenessAndAreDeadLetteredBeyondIt() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 20 * MIN, "a", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 21 * MIN, "b", "u"));
            h.processWatermark(new Watermark(T0 + 25 * MIN));
            // behind the watermark but within 10 minutes of allowed lateness: counted
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 22 * MIN, "c", "u"));
            assertThat(alerts(h)).hasSize(1);
            // more than 10 minutes behind the watermark: dead-lettered, never dropped silently
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 2 * MIN, "late", "u"));
            List<DeadLetter> dead = h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue)
                    .collect(Collectors.toList());
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).reason()).startsWith("late event for rate rule 'Burst'");
        }
    }

    @Test
    void valueCountCountsDistinctValues() throws Exception {
        RuleBundle b = bundle("v1", USERS);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Users", "1.1.1.1", T0, "a", "alice"));
            send(h, signal(b, "Users", "1.1.1.1", T0 + 1, "b", "alice"));
            send(h, signal(b, "Users", "1.1.1.1", T0 + 2, "c", "bob"));
            assertThat(alerts(h)).isEmpty();
            send(h, signal(b, "Users", "1.1.1.1", T0 + 3, "d", "carol"));
            assertThat(alerts(h)).hasSize(1);
            assertThat(alerts(h).get(0).rate().toMap().get("values")).isEqualTo(List.of("alice", "bob", "carol"));
        }
    }

    @Test
    void tooFewFiresAtTheWindowEndOnTheWatermark() throws Exception {
        RuleBundle b = bundle("v1", FEW);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Few", "1.1.1.1", T0, "a", "u"));
            send(h, signal(b, "Few", "1.1.1.1", T0 + MIN, "b", "u"));
            h.processWatermark(new Watermark(T0 + 4 * MIN));
            assertThat(alerts(h)).isEmpty();
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(alerts(h)).hasSize(1);
            assertThat(alerts(h).get(0).rate().toMap()).containsEntry("count", 2L);
        }
    }

    @Test
    void changingARuleDiscardsItsStateAndUnchangedRulesKeepTheirs() throws Exception {
        RuleBundle v1 = bundle("v1", BURST, USERS);
        String burst2 = BURST.replace("gte: 3", "gte: 4");
        RuleBundle v2 = bundle("v2", burst2, USERS);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(v1, false, null)) {
            send(h, signal(v1, "Burst", "1.1.1.1", T0, "a", "u"));
            send(h, signal(v1, "Burst", "1.1.1.1", T0 + 1, "b", "u"));
            send(h, signal(v1, "Users", "1.1.1.1", T0, "a", "alice"));
            send(h, signal(v1, "Users", "1.1.1.1", T0 + 1, "b", "bob"));
            assertThat(stateEntries(h)).isEqualTo(2);
            h.processBroadcastElement(v2, T0 + 2);
            assertThat(stateEntries(h)).as("Burst changed: its state is gone").isEqualTo(1);
            // Users kept its two values: the third fires at once
            send(h, signal(v2, "Users", "1.1.1.1", T0 + 3, "c", "carol"));
            assertThat(alerts(h)).extracting(x -> x.rule().name()).containsExactly("Users");
            // Burst starts from zero under v2 (a v1 signal still in flight is ignored)
            send(h, signal(v1, "Burst", "1.1.1.1", T0 + 3, "old", "u"));
            send(h, signal(v2, "Burst", "1.1.1.1", T0 + 4, "c", "u"));
            send(h, signal(v2, "Burst", "1.1.1.1", T0 + 5, "d", "u"));
            send(h, signal(v2, "Burst", "1.1.1.1", T0 + 6, "e", "u"));
            assertThat(alerts(h)).extracting(x -> x.rule().name()).containsExactly("Users");
            send(h, signal(v2, "Burst", "1.1.1.1", T0 + 7, "f", "u"));
            assertThat(alerts(h)).extracting(x -> x.rule().name()).containsExactly("Users", "Burst");
        }
    }

    @Test
    void snapshotAndRestoreMidWindow() throws Exception {
        RuleBundle b = bundle("v1", BURST, FEW);
        OperatorSubtaskState snapshot;
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            h.processBroadcastElement(b, T0);
            send(h, signal(b, "Burst", "1.1.1.1", T0, "a", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", T0 + MIN, "b", "u"));
            send(h, signal(b, "Few", "1.1.1.1", T0, "a", "u"));
            snapshot = h.snapshot(1, T0 + MIN);
        }
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(bundle("default", FEW), false,
                snapshot)) {
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 2 * MIN, "c", "u"));
            assertThat(alerts(h)).extracting(x -> x.rule().name()).containsExactly("Burst");
            assertThat(alerts(h).get(0).rate().toMap()).containsEntry("first_event_id", "a");
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(alerts(h)).extracting(x -> x.rule().name()).containsExactly("Burst", "Few");
        }
    }

    @Test
    void boundedModeCountsInEventTimeOrderWhateverTheArrivalOrder() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        long[] times = {T0 + 10 * MIN, T0 + 12 * MIN, T0, T0 + 11 * MIN, T0 + MIN, T0 + 2 * MIN};
        List<String> first = run(b, times);
        long[] reversed = new long[times.length];
        for (int i = 0; i < times.length; i++) {
            reversed[i] = times[times.length - 1 - i];
        }
        assertThat(run(b, reversed)).isEqualTo(first).hasSize(2);
    }

    static int stateEntries(KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h) {
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    private static List<String> run(RuleBundle b, long[] times) throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, true, null)) {
            for (long t : times) {
                send(h, signal(b, "Burst", "1.1.1.1", t, "e" + (t - T0) / 1000, "u"));
            }
            assertThat(alerts(h)).isEmpty();
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            return alerts(h).stream().map(a -> a.rate().toMap().get("window_start") + " " + a.event().id())
                    .collect(Collectors.toList());
        }
    }
}
