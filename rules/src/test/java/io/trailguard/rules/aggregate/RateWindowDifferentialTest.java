package io.trailguard.rules.aggregate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RateWindow#add} against a direct implementation of its definition: after each insert, every anchor from
 * the new entry's time to time + span that is not suppressed is measured by a rescan of its window (entries up to
 * the anchor's index with time in (anchor - span, anchor]), and the first that holds the threshold fires and
 * suppresses the span. Random times (out of order, with ties), values (with repeats and nulls) and thresholds.
 */
class RateWindowDifferentialTest {

    /** The definition, with no shortcuts. */
    static final class Reference {
        final List<WindowEntry> entries = new ArrayList<>();
        long suppressedUntil = Long.MIN_VALUE;

        List<String> add(AggregateSpec spec, WindowEntry e) {
            int at = 0;
            while (at < entries.size() && entries.get(at).time <= e.time) {
                at++;
            }
            entries.add(at, e);
            long span = spec.timespanMillis();
            List<String> fired = new ArrayList<>();
            int from = 0;
            while (from < entries.size() && entries.get(from).time < e.time) {
                from++;
            }
            for (int i = from; i < entries.size() && entries.get(i).time < e.time + span; i++) {
                WindowEntry anchor = entries.get(i);
                if (anchor.time < suppressedUntil) {
                    continue;
                }
                long count = 0;
                double sum = 0;
                Set<String> distinct = new HashSet<>();
                WindowEntry first = null;
                for (int j = 0; j <= i; j++) {
                    WindowEntry x = entries.get(j);
                    if (x.time > anchor.time - span) {
                        first = first == null ? x : first;
                        count++;
                        if (x.value != null) {
                            distinct.add(x.value);
                            sum += Double.parseDouble(x.value);
                        }
                    }
                }
                double value = spec.type() == AggregateType.EVENT_COUNT ? count
                        : spec.type() == AggregateType.VALUE_COUNT ? distinct.size() : sum;
                if (spec.threshold().test(value)) {
                    fired.add(describe(anchor.time, count, value, first, anchor));
                    suppressedUntil = anchor.time + span;
                }
            }
            return fired;
        }
    }

    static String describe(long end, long count, double value, WindowEntry first, WindowEntry last) {
        return "end=" + end + " count=" + count + " value=" + value + " first=" + first.eventId() + " last="
                + last.eventId();
    }

    @Test
    void agreesWithTheDefinitionOnRandomStreams() {
        Random random = new Random(31);
        AggregateType[] types = {AggregateType.EVENT_COUNT, AggregateType.VALUE_COUNT, AggregateType.VALUE_SUM};
        String[] ops = {"gte", "gt", "eq"};
        int firings = 0;
        for (int round = 0; round < 3000; round++) {
            AggregateType type = types[random.nextInt(types.length)];
            String op = ops[random.nextInt(ops.length)];
            double threshold = 1 + random.nextInt(type == AggregateType.VALUE_SUM ? 12 : 5);
            long span = 5 + random.nextInt(20);
            AggregateSpec spec = new AggregateSpec(type, List.of(), null, span,
                    new Threshold(List.of(op), List.of(threshold)));
            WindowState state = new WindowState();
            Reference reference = new Reference();
            int n = 5 + random.nextInt(60);
            for (int k = 0; k < n; k++) {
                long time = random.nextInt(80);
                String value = random.nextInt(5) == 0 ? null : String.valueOf(random.nextInt(4));
                String id = String.format("%08d-0000-4000-8000-%012d", round, k);
                WindowEntry e = new WindowEntry(time, id, value, null, "acct", "us-east-1");
                WindowEntry copy = new WindowEntry(time, id, value, null, "acct", "us-east-1");
                List<String> expected = reference.add(spec, copy);
                List<String> actual = new ArrayList<>();
                for (Firing f : RateWindow.add(state, spec, e).firings) {
                    actual.add(describe(f.windowEnd(), f.count(), f.measure(), f.first(), f.last()));
                }
                assertThat(actual).as("round %d (%s %s %s, span %d), entry %d at %d value %s", round, type, op,
                        threshold, span, k, time, value).isEqualTo(expected);
                firings += expected.size();
            }
        }
        assertThat(firings).isGreaterThan(1000);
    }
}
