package io.trailguard.bench;

import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
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
 * io.trailguard.bench.StateSizeMain [KEYS...]} (default 100000 1000000).
 *
 * <p>The state of one key is what {@code RateRuleOperator} keeps for "Console Login Failures From One Source" (group
 * by source IP) after one failed sign-in: a {@link WindowState} with one {@link WindowEntry}, made from the signal the
 * engine really produces for such an event. Prints its size serialized with the serializer Flink derives for it
 * ({@code TypeInformation.of(WindowState.class)}, a POJO serializer; what RocksDB and checkpoints hold, plus the key),
 * and the heap per key measured by filling a {@code HashMap<String, WindowState>} (the shape of the heap state
 * backend's per-key table) with distinct keys, strings copied per key as parsing would, and comparing used heap after
 * full GCs. Not counted: the heap backend's own entry objects beyond a HashMap entry, and the cleanup timer (one per
 * counted event, about 100 bytes on heap in Flink's timer queue).
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
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes.add(100_000);
            sizes.add(1_000_000);
        }
        Signal s = signal();
        WindowState one = state(s, 0);
        TypeSerializer<WindowState> serializer =
                TypeInformation.of(WindowState.class).createSerializer(new ExecutionConfig());
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(one, out);
        int valueBytes = out.length();
        out.clear();
        StringSerializer.INSTANCE.serialize(s.key(), out);
        int keyBytes = out.length();
        System.out.printf(Locale.ROOT, "signal of rule '%s', group %s, %d output values%n", s.rule,
                java.util.Arrays.toString(s.group), s.outputValues == null ? 0 : s.outputValues.length);
        System.out.printf(Locale.ROOT, "serializer: %s%n", serializer.getClass().getSimpleName());
        System.out.printf(Locale.ROOT, "serialized bytes per key: %d (value %d + key %d)%n", valueBytes + keyBytes,
                valueBytes, keyBytes);
        for (int n : sizes) {
            System.out.printf(Locale.ROOT, "heap bytes per key at %,d keys: %.0f%n", n, heapPerKey(s, n));
        }
    }

    /** The signal the engine produces for a failed console sign-in under the bundled rules. */
    static Signal signal() {
        RuleSet rules = RuleSets.full();
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

    /** The state of key {@code i}: one counted event; per-event strings are distinct objects, as parsing makes them. */
    static WindowState state(Signal s, int i) {
        String ip = "10." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255);
        WindowState ws = new WindowState();
        ws.fingerprint = s.fingerprint; // one per rule, shared
        ws.group = new String[] {ip};
        String[] outputs = null;
        if (s.outputValues != null) {
            outputs = new String[s.outputValues.length];
            for (int k = 0; k < outputs.length; k++) {
                String v = s.outputValues[k];
                outputs[k] = v == null ? null : v.equals(s.group[0]) ? ip : new String(v);
            }
        }
        String eventId = String.format(Locale.ROOT, "3f2b1c4d-5e6f-4a7b-8c9d-%012d", i);
        ws.entries.add(new WindowEntry(s.time + i, eventId, s.value == null ? null : new String(s.value), outputs,
                s.account == null ? null : new String(s.account), s.region == null ? null : new String(s.region)));
        return ws;
    }

    static double heapPerKey(Signal s, int n) {
        long before = usedAfterGc();
        Map<String, WindowState> map = new HashMap<>();
        for (int i = 0; i < n; i++) {
            WindowState ws = state(s, i);
            map.put(s.rule + "\u0000" + ws.group[0], ws);
        }
        long after = usedAfterGc();
        double perKey = (after - before) / (double) n;
        if (map.size() != n) {
            throw new IllegalStateException();
        }
        return perKey;
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
