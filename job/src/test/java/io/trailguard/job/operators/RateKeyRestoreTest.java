package io.trailguard.job.operators;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.serde.OwnThread;
import io.trailguard.job.serde.RateKeyTypeInfo;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.trailguard.job.operators.RateRuleOperatorTest.BURST;
import static io.trailguard.job.operators.RateRuleOperatorTest.FEW;
import static io.trailguard.job.operators.RateRuleOperatorTest.MIN;
import static io.trailguard.job.operators.RateRuleOperatorTest.T0;
import static io.trailguard.job.operators.RateRuleOperatorTest.alerts;
import static io.trailguard.job.operators.RateRuleOperatorTest.bundle;
import static io.trailguard.job.operators.RateRuleOperatorTest.harness;
import static io.trailguard.job.operators.RateRuleOperatorTest.send;
import static io.trailguard.job.operators.RateRuleOperatorTest.signal;
import static io.trailguard.job.operators.RateRuleOperatorTest.stateEntries;
import static org.assertj.core.api.Assertions.assertThat;

/** The rate operator's key type across a restore: what earlier jobs wrote restores, and a restored key is held once. */
class RateKeyRestoreTest {
    /** A snapshot of the earlier job (keyed by Flink's String type), with windows open in it. */
    private static OperatorSubtaskState earlierJobSnapshot(RuleBundle b) throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h =
                     harness(b, false, null, Types.STRING)) {
            send(h, signal(b, "Burst", "1.1.1.1", T0, "a", "u"));
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 1000, "b", "u"));
            send(h, signal(b, "Few", "2.2.2.2", T0, "c", "u"));
            assertThat(alerts(h)).isEmpty();
            return h.snapshot(1, T0);
        }
    }

    /**
     * A checkpoint of the job keyed by Flink's String serializer restores into the job keyed by its own serializer:
     * the windows keep their counts (the third signal of a burst fires, a "too few" window open across the restore
     * is decided at its end) and the timers clean up after.
     */
    @Test
    void aSnapshotOfTheStringKeyedJobRestoresAndKeepsCounting() throws Exception {
        RuleBundle b = bundle("v1", BURST, FEW);
        OperatorSubtaskState old = earlierJobSnapshot(b);
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, old)) {
            assertThat(stateEntries(h)).isEqualTo(2);
            send(h, signal(b, "Burst", "1.1.1.1", T0 + 2000, "d", "u"));
            assertThat(alerts(h)).extracting(Alert::output).containsExactly("3 logins from 1.1.1.1 (a..d)");
            h.processWatermark(new Watermark(T0 + 5 * MIN));
            assertThat(alerts(h)).extracting(Alert::output).containsExactly("3 logins from 1.1.1.1 (a..d)",
                    "1 logins from 2.2.2.2 (c..c)");
            // and what this job snapshots restores again, still counting
            OperatorSubtaskState again = h.snapshot(2, T0 + 5 * MIN);
            try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> r = harness(b, false, again)) {
                assertThat(stateEntries(r)).isEqualTo(2);
                r.processWatermark(new Watermark(T0 + 30 * MIN));
                assertThat(stateEntries(r)).isZero();
                assertThat(r.numEventTimeTimers()).isZero();
            }
        }
    }

    /**
     * After a restore, a key's state-map entry and its timer hold the same String (the backend reads the key twice),
     * with the job's key type; with Flink's String type they hold two copies, which is what the key type avoids.
     */
    @Test
    void aRestoredKeyIsOneStringForItsStateAndItsTimer() throws Exception {
        RuleBundle b = bundle("v1", BURST);
        assertThat(sharedAfterRestore(b, RateKeyTypeInfo.INSTANCE)).isEqualTo(List.of(true, 50));
        assertThat(sharedAfterRestore(b, Types.STRING)).isEqualTo(List.of(false, 50));
    }

    /** Whether every restored timer's key is the state map's key object, and how many keys were restored. */
    private static List<Object> sharedAfterRestore(RuleBundle b, TypeInformation<String> keyType) throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = harness(b, false, null, keyType)) {
            for (int i = 0; i < 50; i++) {
                send(h, signal(b, "Burst", "10.0.0." + i, T0 + i, "e" + i, "u"));
            }
            snapshot = h.snapshot(1, T0);
        }
        // a task restores on a thread of its own, as here
        return OwnThread.run(() -> restoredKeysShared(b, snapshot, keyType));
    }

    private static List<Object> restoredKeysShared(RuleBundle b, OperatorSubtaskState snapshot,
                                                   TypeInformation<String> keyType) throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h =
                     harness(b, false, snapshot, keyType)) {
            KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
            Set<String> stateKeys = Collections.newSetFromMap(new IdentityHashMap<>());
            stateKeys.addAll(backend.getKeys(RateDescriptors.WINDOWS.getName(), VoidNamespace.INSTANCE)
                    .collect(Collectors.toList()));
            @SuppressWarnings("unchecked")
            Triggerable<String, VoidNamespace> operator = (Triggerable<String, VoidNamespace>) h.getOperator();
            InternalTimerService<VoidNamespace> timers = h.getOperator().getInternalTimerService("user-timers",
                    VoidNamespaceSerializer.INSTANCE, operator);
            List<Boolean> shared = new ArrayList<>();
            timers.forEachEventTimeTimer((ns, time) -> shared.add(stateKeys.contains(backend.getCurrentKey())));
            assertThat(shared).hasSize(50);
            return List.of(shared.stream().allMatch(x -> x), stateKeys.size());
        }
    }
}
