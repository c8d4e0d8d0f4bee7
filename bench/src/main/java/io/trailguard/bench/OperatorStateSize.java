package io.trailguard.bench;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.operators.Descriptors;
import io.trailguard.job.operators.RateRuleOperator;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.serde.RateKeyTypeInfo;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.RuleSet;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

import java.io.PrintStream;
import java.util.Collections;
import java.util.Locale;

/**
 * Rate-rule state per key as the job holds it: the real {@link RateRuleOperator} (streaming mode, the job's default
 * allowed lateness of 15 minutes, the bundled packs and SigmaHQ's rules) in Flink's keyed broadcast operator test
 * harness on the {@link HashMapStateBackend}, fed {@code keys} distinct source IPs of failed console sign-ins
 * ("Console Login Failures From One Source", 5 in 10 minutes: up to 4 events per key stay below the threshold),
 * {@code eventsPerKey} events each, a minute apart, keyed by the job's key type ({@code RateKeyTypeInfo}). Counted:
 * everything the operator and the backend hold for those keys, i.e. the state-map entries, keys, window values (in
 * their stored forms) and the event-time timers (queue and dedup map).
 *
 * <ul>
 *   <li>heap per key: used heap after full GCs, minus the same harness opened with no key;</li>
 *   <li>serialized per key: the sizes of the snapshot's keyed state handles (state and timers, as a checkpoint
 *       holds them), minus those of the empty harness;</li>
 *   <li>restored heap per key: a new harness restored from that snapshot on a thread of its own, as a task restores
 *       (the backend reads each key twice, for the state map and for the timer; the key type shares what it reads
 *       during the restore), measured as the first.</li>
 * </ul>
 */
public final class OperatorStateSize {
    /** The job's default {@code rate.allowed_lateness}. */
    static final long ALLOWED_LATENESS_MILLIS = 15 * 60_000L;

    /** The figures of one run. */
    public static final class Figures {
        public final int keys;
        public final int eventsPerKey;
        public final double heapPerKey;
        public final double serializedPerKey;
        public final double restoredHeapPerKey;
        public final double timersPerKey;

        Figures(int keys, int eventsPerKey, double heapPerKey, double serializedPerKey, double restoredHeapPerKey,
                double timersPerKey) {
            this.keys = keys;
            this.eventsPerKey = eventsPerKey;
            this.heapPerKey = heapPerKey;
            this.serializedPerKey = serializedPerKey;
            this.restoredHeapPerKey = restoredHeapPerKey;
            this.timersPerKey = timersPerKey;
        }

        /** One line: keys, events per key, then the per-key figures. */
        public String line() {
            return String.format(Locale.ROOT, "operator state at %,d keys, %d event(s) per key: heap %.0f B/key, "
                            + "serialized %.0f B/key, heap after restore %.0f B/key, timers %.2f per key", keys,
                    eventsPerKey, heapPerKey, serializedPerKey, restoredHeapPerKey, timersPerKey);
        }
    }

    private final RuleBundle bundle;
    private final Signal signal;

    public OperatorStateSize() {
        bundle = RuleBundle.ofSources("bench", null, RuleSets.fullSources(), "bench");
        RuleSet rules = CompiledBundle.compile(bundle, MatchingMode.ALL).ruleSet();
        signal = StateSizeMain.signal(rules);
    }

    /** Measures {@code keys} keys of {@code eventsPerKey} (1 to 4) events each. */
    public Figures measure(int keys, int eventsPerKey) throws Exception {
        if (eventsPerKey < 1 || eventsPerKey > 4) {
            throw new IllegalArgumentException("events per key: 1 to 4 (the rule fires at 5)");
        }
        long emptySerialized;
        try (KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert> empty = harness(null)) {
            emptySerialized = keyedBytes(empty.snapshot(1, 1));
        }
        OperatorSubtaskState snapshot;
        double heap;
        double timers;
        try (KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert> h = harness(null)) {
            long before = StateSizeMain.usedAfterGc();
            for (int j = 0; j < eventsPerKey; j++) {
                for (int i = 0; i < keys; i++) {
                    Signal s = StateSizeMain.signalOfKey(signal, i, false);
                    Signal at = new Signal(s.rule, s.fingerprint, s.group, s.time + j * 60_000L,
                            s.eventId.substring(0, s.eventId.length() - 1) + j, s.value, s.outputValues, s.account,
                            s.region);
                    // the keyBy hop: every string arrives as a fresh object, as in the job
                    h.processElement(new StreamRecord<>(wire.deliver(at), at.time));
                }
            }
            heap = (StateSizeMain.usedAfterGc() - before) / (double) keys;
            if (stateEntries(h) != keys || !h.extractOutputValues().isEmpty()) {
                throw new IllegalStateException("expected " + keys + " keys and no alert, got " + stateEntries(h)
                        + " keys and " + h.extractOutputValues().size() + " alerts");
            }
            timers = h.numEventTimeTimers() / (double) keys;
            snapshot = h.snapshot(2, 2);
        }
        double serialized = (keyedBytes(snapshot) - emptySerialized) / (double) keys;
        double restored;
        long before = StateSizeMain.usedAfterGc();
        long harnessAlone;
        try (KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert> empty = harness(null)) {
            harnessAlone = StateSizeMain.usedAfterGc() - before;
        }
        before = StateSizeMain.usedAfterGc();
        try (KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert> h = restoredOnItsOwnThread(snapshot)) {
            restored = (StateSizeMain.usedAfterGc() - before - harnessAlone) / (double) keys;
            if (stateEntries(h) != keys) {
                throw new IllegalStateException("restored " + stateEntries(h) + " of " + keys + " keys");
            }
        }
        return new Figures(keys, eventsPerKey, heap, serialized, restored, timers);
    }

    private final StateSizeMain.Wire wire = new StateSizeMain.Wire();

    /** A harness restored from {@code snapshot} on a new thread, as a task restores on a thread of its own. */
    private KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert> restoredOnItsOwnThread(
            OperatorSubtaskState snapshot) throws Exception {
        java.util.concurrent.FutureTask<KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert>> f =
                new java.util.concurrent.FutureTask<>(() -> harness(snapshot));
        Thread t = new Thread(f, "restoring task");
        t.start();
        t.join();
        return f.get();
    }

    private KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert> harness(OperatorSubtaskState restore)
            throws Exception {
        CoBroadcastWithKeyedOperator<String, Signal, RuleBundle, Alert> operator = new CoBroadcastWithKeyedOperator<>(
                new RateRuleOperator(new ActiveRules(bundle, MatchingMode.ALL, BundleVerifier.none()), false,
                        ALLOWED_LATENESS_MILLIS, 1),
                Collections.singletonList(Descriptors.RULES));
        KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = new KeyedBroadcastOperatorTestHarness<>(
                operator, (KeySelector<Signal, String>) Signal::key, RateKeyTypeInfo.INSTANCE, 1, 1, 0);
        h.setStateBackend(new HashMapStateBackend());
        // snapshots in memory, of any size (the harness's default storage refuses more than 5 MB)
        h.setCheckpointStorage(new JobManagerCheckpointStorage(Integer.MAX_VALUE));
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        operator.processWatermarkStatus2(WatermarkStatus.IDLE);
        return h;
    }

    private static int stateEntries(KeyedBroadcastOperatorTestHarness<String, Signal, ?, Alert> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    /** The keyed state handles of a snapshot (state and timers), in bytes. */
    static long keyedBytes(OperatorSubtaskState s) {
        long n = 0;
        for (KeyedStateHandle k : s.getManagedKeyedState()) {
            n += k.getStateSize();
        }
        for (KeyedStateHandle k : s.getRawKeyedState()) {
            n += k.getStateSize();
        }
        return n;
    }

    /** Prints the figures of each key count, for 1 and 4 events per key. */
    static void print(int[] keyCounts, PrintStream out) throws Exception {
        OperatorStateSize m = new OperatorStateSize();
        for (int events : new int[] {1, 4}) {
            for (int n : keyCounts) {
                out.println(m.measure(n, events).line());
            }
        }
    }
}
