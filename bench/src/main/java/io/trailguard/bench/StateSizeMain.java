package io.trailguard.bench;

import io.trailguard.job.serde.WindowStateTypeInfo;
import io.trailguard.rules.aggregate.Interner;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.StoredWindow;
import io.trailguard.rules.aggregate.WindowState;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rate-rule state per active group key: {@code java -Xmx4g -cp bench/target/benchmarks.jar
 * io.trailguard.bench.StateSizeMain [--value-only] [KEYS...]} (default 100000 1000000).
 *
 * <p>First the value alone, below; then, unless {@code --value-only}, the state of the job's operator with its
 * backend entries and timers ({@link OperatorStateSize}), for 1 and 4 events per key.
 *
 * <p>The state of one key is what {@code RateRuleOperator} keeps for "Console Login Failures From One Source" (group
 * by source IP) after one failed sign-in. It is built the way the operator builds it: the signal the engine really
 * produces for such an event, given a per-key source IP, event id and time, goes through Flink's serializer for
 * {@link Signal} and back (the keyBy hop: every string arrives as a fresh object, as in the operator), then
 * {@link WindowEntry#of(Signal, Interner)} with one {@link Interner} (one per operator instance),
 * {@link WindowState#forRule} and {@link RateWindow#add}, the calls of {@code RateRuleOperator.count}. Prints its
 * size serialized with the rate state's serializer ({@link WindowStateTypeInfo}, the one its state descriptor names;
 * what RocksDB and checkpoints hold, plus the key), and the heap per key measured by filling a
 * {@code HashMap} with the stored form of each state ({@link StoredWindow}; the shape of the heap state backend's per-key table) with distinct keys and
 * comparing used heap after full GCs, twice: with the event's other values as they are (the same user name, user
 * agent, account and region for every source IP: the interner shares them), and with a user name and user agent
 * that differ per key (nothing of them can be shared). Not counted here: the heap backend's own entry objects beyond
 * a HashMap entry, and the cleanup timer; {@link OperatorStateSize} counts both.
 */
public final class StateSizeMain {
    static final String FAILED_LOGIN = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
            + "\"principalId\":\"AIDAEXAMPLE1234567890\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
            + "\"accountId\":\"111122223333\",\"userName\":\"alice\"},\"eventTime\":\"2024-03-01T00:00:00Z\","
            + "\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\","
            + "\"sourceIPAddress\":\"198.51.100.7\",\"userAgent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
            + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36\",\"errorMessage\":\"Failed authentication\","
            + "\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"Failure\"},\"additionalEventData\":"
            + "{\"LoginTo\":\"https://console.aws.amazon.com/console/home\",\"MobileVersion\":\"No\",\"MFAUsed\":\"No\"},"
            + "\"eventID\":\"3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\",\"readOnly\":false,\"eventType\":\"AwsConsoleSignIn\","
            + "\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}";

    private StateSizeMain() {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        boolean valueOnly = false;
        for (String a : args) {
            if (a.equals("--value-only")) {
                valueOnly = true;
            } else {
                sizes.add(Integer.parseInt(a));
            }
        }
        if (sizes.isEmpty()) {
            sizes.add(100_000);
            sizes.add(1_000_000);
        }
        RuleSet rules = RuleSets.full();
        Signal s = signal(rules);
        Rule rule = rules.rule(s.rule);
        WindowState one = state(rule, new Wire().deliver(s), new Interner(Interner.DEFAULT_SLOTS));
        TypeInformation<Object> type = new WindowStateTypeInfo();
        TypeSerializer<Object> serializer = type.createSerializer(new ExecutionConfig());
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(one, out);
        int valueBytes = out.length();
        out.clear();
        StringSerializer.INSTANCE.serialize(s.key(), out);
        int keyBytes = out.length();
        System.out.printf(Locale.ROOT, "signal of rule '%s', group %s, %d output values%n", s.rule,
                java.util.Arrays.toString(s.group), s.outputValues == null ? 0 : s.outputValues.length);
        System.out.printf(Locale.ROOT, "state type: %s%n", type);
        System.out.printf(Locale.ROOT, "serializer: %s%n", serializer.getClass().getSimpleName());
        System.out.printf(Locale.ROOT, "serialized bytes per key: %d (value %d + key %d)%n", valueBytes + keyBytes,
                valueBytes, keyBytes);
        for (int n : sizes) {
            System.out.printf(Locale.ROOT, "heap bytes per key at %,d keys: %.0f%n", n, heapPerKey(rule, s, n, false));
        }
        for (int n : sizes) {
            System.out.printf(Locale.ROOT, "heap bytes per key at %,d keys, user name and user agent distinct per key: "
                    + "%.0f%n", n, heapPerKey(rule, s, n, true));
        }
        if (!valueOnly) {
            OperatorStateSize.print(sizes.stream().mapToInt(Integer::intValue).toArray(), System.out);
        }
    }

    /** The signal the engine produces for a failed console sign-in under the bundled rules. */
    static Signal signal(RuleSet rules) {
        List<CloudTrailEvent> events = new ArrayList<>();
        new EventUnwrapper().unwrap(FAILED_LOGIN.getBytes(StandardCharsets.UTF_8), "state", new EventSink() {
            @Override
            public void event(CloudTrailEvent e) {
                events.add(e);
            }

            @Override
            public void deadLetter(DeadLetter d) {
                throw new IllegalStateException(d.reason());
            }
        });
        List<Signal> signals = new ArrayList<>();
        rules.evaluate(events.get(0), rules.newContext(), signals);
        for (Signal s : signals) {
            if (s.rule.contains("Console Login Failures")) {
                return s;
            }
        }
        throw new IllegalStateException("no console-login rate signal; signals: " + signals);
    }

    /**
     * The signal of key {@code i}: the engine's signal from source IP {@code 10.x.y.z} with its own event id (a
     * UUID) and time; with {@code distinct}, the output values found nowhere else (user name, user agent) get a
     * per-key suffix.
     */
    static Signal signalOfKey(Signal s, int i, boolean distinct) {
        String ip = "10." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255);
        String[] outputs = null;
        if (s.outputValues != null) {
            outputs = new String[s.outputValues.length];
            for (int k = 0; k < outputs.length; k++) {
                String v = s.outputValues[k];
                if (v == null) {
                    continue;
                }
                boolean shared = v.equals(s.account) || v.equals(s.region) || v.equals(s.value);
                outputs[k] = v.equals(s.group[0]) ? ip : distinct && !shared ? v + " #" + i : v;
            }
        }
        String eventId = String.format(Locale.ROOT, "3f2b1c4d-5e6f-4a7b-8c9d-%012x", i);
        return new Signal(s.rule, s.fingerprint, new String[] {ip}, s.time + i, eventId, s.value, outputs, s.account,
                s.region);
    }

    /** The state of a key after its first signal, as RateRuleOperator.count makes it. */
    static WindowState state(Rule rule, Signal delivered, Interner interner) {
        WindowState ws = WindowState.forRule(rule.fingerprint());
        RateWindow.add(ws, rule.aggregate(), WindowEntry.of(delivered, interner));
        return ws;
    }

    static double heapPerKey(Rule rule, Signal s, int n, boolean distinct) throws IOException {
        Wire wire = new Wire();
        Interner interner = new Interner(Interner.DEFAULT_SLOTS); // as an operator instance's: kept while measuring
        long before = usedAfterGc();
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Signal delivered = wire.deliver(signalOfKey(s, i, distinct));
            map.put(delivered.key(), StoredWindow.of(state(rule, delivered, interner)));
        }
        long after = usedAfterGc();
        double perKey = (after - before) / (double) n;
        if (map.size() != n) {
            throw new IllegalStateException();
        }
        java.lang.ref.Reference.reachabilityFence(interner);
        return perKey;
    }

    /** The keyBy hop in front of the rate-rule operator: a signal serialized by Flink and read back. */
    static final class Wire {
        private final TypeSerializer<Signal> serializer =
                TypeInformation.of(Signal.class).createSerializer(new ExecutionConfig());
        private final DataOutputSerializer out = new DataOutputSerializer(1024);

        Signal deliver(Signal s) throws IOException {
            out.clear();
            serializer.serialize(s, out);
            return serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        }
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
