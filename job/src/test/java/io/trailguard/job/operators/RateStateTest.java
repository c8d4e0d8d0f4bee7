package io.trailguard.job.operators;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.serde.WindowStateSerializer;
import io.trailguard.job.serde.WindowStateTypeInfo;
import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.Interner;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.SingleEntryWindow;
import io.trailguard.rules.aggregate.StoredWindow;
import io.trailguard.rules.aggregate.Threshold;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.trailguard.job.operators.RateRuleOperatorTest.BURST;
import static io.trailguard.job.operators.RateRuleOperatorTest.FEW;
import static io.trailguard.job.operators.RateRuleOperatorTest.MIN;
import static io.trailguard.job.operators.RateRuleOperatorTest.T0;
import static io.trailguard.job.operators.RateRuleOperatorTest.alerts;
import static io.trailguard.job.operators.RateRuleOperatorTest.bundle;
import static io.trailguard.job.operators.RateRuleOperatorTest.harness;
import static io.trailguard.job.operators.RateRuleOperatorTest.ruleOf;
import static io.trailguard.job.operators.RateRuleOperatorTest.send;
import static org.assertj.core.api.Assertions.assertThat;

/** The rate-rule state as Flink stores it: its type, a serializer round trip, and what the operator reads back. */
class RateStateTest {
    static final String UA = "Mozilla/5.0 " + "x".repeat(Interner.MAX_LENGTH);

    static void assertNoKryo(TypeInformation<?> t) {
        assertThat(t).as(t.toString()).isNotInstanceOf(GenericTypeInfo.class);
        if (t instanceof PojoTypeInfo) {
            PojoTypeInfo<?> p = (PojoTypeInfo<?>) t;
            for (int i = 0; i < p.getArity(); i++) {
                assertNoKryo(p.getTypeAt(i));
            }
        } else if (t instanceof ObjectArrayTypeInfo) {
            assertNoKryo(((ObjectArrayTypeInfo<?, ?>) t).getComponentInfo());
        } else if (t instanceof ListTypeInfo) {
            assertNoKryo(((ListTypeInfo<?>) t).getElementTypeInfo());
        }
    }

    @Test
    void theStateHasItsOwnSerializerAndThePendingEntriesNoKryo() {
        RateDescriptors.WINDOWS.initializeSerializerUnlessSet(new ExecutionConfig());
        assertThat(RateDescriptors.WINDOWS.getSerializer()).isInstanceOf(WindowStateSerializer.class);
        assertThat(new WindowStateTypeInfo().createSerializer(new ExecutionConfig()))
                .isInstanceOf(WindowStateSerializer.class);
        // the earlier layout, still read when a savepoint holds it, and the bounded mode's pending entries
        assertThat(TypeInformation.of(WindowState.class)).isInstanceOf(PojoTypeInfo.class);
        assertNoKryo(TypeInformation.of(WindowState.class));
        assertNoKryo(TypeInformation.of(WindowEntry.class));
    }

    static List<Signal> signals() {
        String[] group = {"198.51.100.7"};
        List<Signal> out = new ArrayList<>();
        String[] ids = {"3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "3F2B1C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D", null, "e-7",
                "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "e-8"};
        for (int i = 0; i < ids.length; i++) {
            String[] outputs = {"198.51.100.7", i % 2 == 0 ? "alice" : null, "111122223333", UA,
                    i == 3 ? "203.0.113.9" : "198.51.100.7"};
            out.add(new Signal("R", "0123456789abcdef", group, T0 + (ids.length - i) * 1000L, ids[i],
                    i == 4 ? null : "v" + i, outputs, i == 5 ? null : "111122223333", "us-east-1"));
        }
        return out;
    }

    @Test
    void aSerializerRoundTripGivesTheSignalsBack() throws Exception {
        AggregateSpec never = new AggregateSpec(AggregateType.EVENT_COUNT, List.of(), null, 60 * MIN,
                new Threshold(List.of("gt"), List.of(1000.0)));
        WindowState s = WindowState.forRule("0123456789abcdef");
        Interner interner = new Interner(Interner.DEFAULT_SLOTS);
        List<Signal> signals = signals();
        for (Signal sig : signals) {
            RateWindow.add(s, never, WindowEntry.of(sig, interner));
        }
        s.suppressedUntil = T0 + 5;
        assertThat(s.entries.length).as("spare capacity is serialized too").isGreaterThan(s.size);
        s.openWindowStart = T0 + 7;
        s.fired = new long[] {T0 - 3, T0 + 9};
        TypeSerializer<WindowState> pojo = TypeInformation.of(WindowState.class).createSerializer(new ExecutionConfig());
        TypeSerializer<Object> serializer = new WindowStateTypeInfo().createSerializer(new ExecutionConfig());
        WindowState back = StoredWindow.open(
                serializer.deserialize(new DataInputDeserializer(serialize(serializer, s))));
        WindowState viaPojo = pojo.deserialize(new DataInputDeserializer(serialize(pojo, s)));
        WindowState copied = StoredWindow.open(serializer.copy(s));
        for (WindowState r : new WindowState[] {back, copied, viaPojo, pojo.copy(s)}) {
            assertThat(r.countedUnder("0123456789abcdef")).isTrue();
            assertThat(r.size).isEqualTo(signals.size());
            assertThat(r.suppressedUntil).isEqualTo(T0 + 5);
            assertThat(r.openWindowStart).isEqualTo(T0 + 7);
            assertThat(r.fired).containsExactly(T0 - 3, T0 + 9);
            for (int i = 0; i < r.size; i++) {
                Signal sig = signals.get(signals.size() - 1 - i); // entries are in time order
                WindowEntry e = r.entry(i);
                assertThat(e.time).isEqualTo(sig.time);
                assertThat(e.eventId()).isEqualTo(sig.eventId);
                assertThat(e.value).isEqualTo(sig.value);
                assertThat(e.account).isEqualTo(sig.account);
                assertThat(e.region).isEqualTo(sig.region);
                for (int k = 0; k < sig.outputValues.length + 1; k++) {
                    assertThat(e.outputValue(k, Signal.groupOf(sig.key())))
                            .isEqualTo(k < sig.outputValues.length ? sig.outputValues[k] : null);
                }
            }
        }
        // a copy is its own: changing it leaves the original as it was
        WindowState copy = StoredWindow.open(serializer.copy(s));
        RateWindow.add(copy, never, WindowEntry.of(signals.get(0)));
        copy.fired[0] = 0;
        assertThat(s.size).isEqualTo(signals.size());
        assertThat(s.fired[0]).isEqualTo(T0 - 3);
        WindowState empty = StoredWindow.open(
                serializer.deserialize(new DataInputDeserializer(serialize(serializer, new WindowState()))));
        assertThat(empty.isEmpty()).isTrue();
        RateWindow.add(empty, never, WindowEntry.of(signals.get(0)));
        assertThat(empty.size).isEqualTo(1);
    }

    /** What a restore reads back shares its repeated strings and output arrays, as the counted states did. */
    @Test
    void readingStatesSharesTheirRepeatedValues() throws Exception {
        TypeSerializer<Object> serializer = new WindowStateTypeInfo().createSerializer(new ExecutionConfig());
        List<WindowState> back = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            WindowState s = WindowState.forRule("0123456789abcdef");
            RateWindow.add(s, new AggregateSpec(AggregateType.EVENT_COUNT, List.of(), null, MIN,
                    new Threshold(List.of("gt"), List.of(10.0))), WindowEntry.of(new Signal("R", "0123456789abcdef",
                    new String[] {"198.51.100." + i}, T0, "e-" + i, null, new String[] {"alice", "Mozilla/5.0"},
                    "111122223333", "us-east-1")));
            Object stored = serializer.deserialize(new DataInputDeserializer(serialize(serializer, s)));
            assertThat(stored).as("one entry and nothing else: the single-entry form")
                    .isInstanceOf(SingleEntryWindow.class);
            // the single-entry form is written as the state it stands for: the format of earlier checkpoints
            assertThat(serialize(serializer, stored)).isEqualTo(serialize(serializer, s));
            back.add(StoredWindow.open(stored));
        }
        WindowEntry a = back.get(0).entry(0);
        WindowEntry b = back.get(1).entry(0);
        assertThat(a.account).isEqualTo("111122223333").isSameAs(b.account);
        assertThat(a.region).isSameAs(b.region);
        assertThat(a.outputs).isNotNull().isSameAs(b.outputs);
        // a duplicate has an interner of its own (serializers are used by one thread each)
        assertThat(serializer.duplicate()).isNotSameAs(serializer).isEqualTo(serializer);
    }

    /**
     * A function that writes the rate state of the earlier layout: keys of rule name and group, values in Flink's
     * POJO serializer of WindowState, with the timers that operator set (window end and cleanup).
     */
    static final class EarlierLayoutWriter extends KeyedBroadcastProcessFunction<String, Signal, RuleBundle, Alert> {
        private static final long serialVersionUID = 1L;
        private final RuleBundle bundle;

        EarlierLayoutWriter(RuleBundle bundle) {
            this.bundle = bundle;
        }

        @Override
        public void processElement(Signal s, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
            ValueState<WindowState> state = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("rate-window", TypeInformation.of(WindowState.class)));
            AggregateSpec spec = ruleOf(bundle, s.rule).aggregate();
            WindowState ws = WindowState.forRule(s.fingerprint);
            RateWindow.Update u = RateWindow.add(ws, spec, WindowEntry.of(s));
            state.update(ws);
            ctx.timerService().registerEventTimeTimer(u.timer);
            ctx.timerService().registerEventTimeTimer(
                    RateRuleOperator.cleanupTime(s.time + spec.timespanMillis() + 10 * MIN + 1));
        }

        @Override
        public void processBroadcastElement(RuleBundle b, Context ctx, Collector<Alert> out) {
        }
    }

    /**
     * A checkpoint of the earlier layout restores: its states are read (the rule found by the name its keys start
     * with), a window open in it is decided at its end, and its timers clear it. New signals of the same group go to
     * the new key (a window open across the upgrade does not count them together).
     */
    @Test
    void stateOfTheEarlierLayoutRestoresDecidesItsOpenWindowsAndExpires() throws Exception {
        RuleBundle b = bundle("v1", BURST, FEW);
        OperatorSubtaskState old;
        CoBroadcastWithKeyedOperator<String, Signal, RuleBundle, Alert> writer = new CoBroadcastWithKeyedOperator<>(
                new EarlierLayoutWriter(b), Collections.singletonList(Descriptors.RULES));
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> w =
                     new KeyedBroadcastOperatorTestHarness<>(writer,
                             (KeySelector<Signal, String>) s -> s.rule + "\u0000" + s.group[0], Types.STRING, 1, 1, 0)) {
            w.open();
            w.processElement(new StreamRecord<>(RateRuleOperatorTest.signal(b, "Few", "1.1.1.1", T0, "a", "u"), T0));
            old = w.snapshot(1, T0);
        }
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, old)) {
            assertThat(RateRuleOperatorTest.stateEntries(h)).isEqualTo(1);
            send(h, RateRuleOperatorTest.signal(b, "Few", "2.2.2.2", T0 + MIN, "b", "u"));
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(alerts(h)).extracting(Alert::output).containsExactly("1 logins from 1.1.1.1 (a..a)");
            h.processWatermark(new Watermark(T0 + 30 * MIN));
            assertThat(RateRuleOperatorTest.stateEntries(h)).isZero();
        }
    }

    static <T> byte[] serialize(TypeSerializer<T> serializer, T s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    static Signal signal(RuleBundle b, String rule, String ip, String outputIp, long time, String id) {
        return new Signal(rule, ruleOf(b, rule).fingerprint(), new String[] {ip}, time, id, "u",
                new String[] {outputIp}, "111122223333", "us-east-1");
    }

    @Test
    void aGroupValueWithNulCharactersKeepsItsOwnStateAndComesBackInTheAlert() throws Exception {
        RuleBundle b = bundle("v1", BURST, FEW);
        String odd = "1.1.1.1\u0000x";
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Few", odd, odd, T0, "a"));
            send(h, signal(b, "Few", odd, odd, T0 + MIN, "b"));
            // another group, another key and state
            send(h, signal(b, "Burst", odd, odd, T0, "a"));
            send(h, signal(b, "Burst", odd, odd, T0 + 1, "b"));
            send(h, signal(b, "Burst", "1.1.1.1", "1.1.1.1", T0 + 2, "c"));
            assertThat(alerts(h)).isEmpty();
            send(h, signal(b, "Burst", odd, odd, T0 + 3, "d"));
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(alerts(h)).extracting(x -> x.rule().name()).containsExactly("Burst", "Few");
            for (Alert a : alerts(h)) {
                assertThat(a.rate().toMap().get("group")).isEqualTo(Map.of("ct.srcip", odd));
                assertThat(a.output()).contains("from " + odd + " (a..");
            }
        }
    }

    @Test
    void outputValuesThatDifferFromTheGroupAreReportedAsTheyCame() throws Exception {
        RuleBundle b = bundle("v1", BURST, FEW);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null)) {
            send(h, signal(b, "Few", "1.1.1.1", "9.9.9.9", T0, "a"));
            send(h, signal(b, "Burst", "1.1.1.1", "1.1.1.1", T0, "a"));
            send(h, signal(b, "Burst", "1.1.1.1", "1.1.1.1", T0 + 1, "b"));
            send(h, signal(b, "Burst", "1.1.1.1", "8.8.8.8", T0 + 2, "c"));
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(alerts(h)).extracting(Alert::output).containsExactly("3 logins from 8.8.8.8 (a..c)",
                    "1 logins from 9.9.9.9 (a..a)");
        }
    }

    @Test
    void boundedModeOrdersEqualTimesByTheEventIdText() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        String[] ids = {"bbbbbbbb-0000-4000-8000-000000000000", "AAAAAAAA-0000-4000-8000-000000000000",
                "0aaaaaaa-0000-4000-8000-000000000000", "b-not-a-uuid"};
        List<List<Object>> runs = new ArrayList<>();
        for (int rotation = 0; rotation < ids.length; rotation++) {
            try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, true, null)) {
                for (int i = 0; i < ids.length; i++) {
                    send(h, signal(b, "Burst", "1.1.1.1", "1.1.1.1", T0, ids[(i + rotation) % ids.length]));
                }
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                assertThat(alerts(h)).hasSize(1);
                runs.add(new ArrayList<>((List<?>) alerts(h).get(0).rate().toMap().get("event_ids")));
            }
        }
        assertThat(runs.get(0)).containsExactly("0aaaaaaa-0000-4000-8000-000000000000",
                "AAAAAAAA-0000-4000-8000-000000000000", "b-not-a-uuid");
        assertThat(runs).allSatisfy(r -> assertThat(r).isEqualTo(runs.get(0)));
    }
}
