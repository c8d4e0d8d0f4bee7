package io.trailguard.rules.aggregate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RateWindow#add} against a direct implementation of its definition: after each insert, every anchor not
 * suppressed by a burst start f (f <= anchor < f + span) is measured by a rescan of its window (entries up to the
 * anchor's index with time in (anchor - span, anchor]), in time order and again until nothing changes; one that holds
 * the threshold becomes the new start of a burst starting within the span after it, or else fires. Random times (out of order, with ties), values (with repeats and nulls) and thresholds.
 */
class RateWindowDifferentialTest {

    /** The definition, with no shortcuts. */
    static final class Reference {
        final List<WindowEntry> entries = new ArrayList<>();
        final List<Long> firedAt = new ArrayList<>();

        List<String> add(AggregateSpec spec, WindowEntry e) {
            int at = 0;
            while (at < entries.size() && entries.get(at).time <= e.time) {
                at++;
            }
            entries.add(at, e);
            long span = spec.timespanMillis();
            List<String> fired = new ArrayList<>();
            // every anchor, in time order, until nothing changes: suppressed by a burst start f <= a < f + span;
            // else, when it holds, the new start of a burst starting within the span after it, or a new firing
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int i = 0; i < entries.size(); i++) {
                    WindowEntry anchor = entries.get(i);
                    if (firedAt.stream().anyMatch(f -> f <= anchor.time && anchor.time < f + span)) {
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
                    if (!spec.threshold().test(value)) {
                        continue;
                    }
                    int later = -1;
                    for (int k = 0; k < firedAt.size(); k++) {
                        if (anchor.time < firedAt.get(k) && firedAt.get(k) < anchor.time + span) {
                            later = k;
                        }
                    }
                    if (later >= 0) {
                        firedAt.set(later, anchor.time);
                    } else {
                        fired.add(describe(anchor.time, count, value, first, anchor));
                        firedAt.add(anchor.time);
                    }
                    changed = true;
                    break;
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
