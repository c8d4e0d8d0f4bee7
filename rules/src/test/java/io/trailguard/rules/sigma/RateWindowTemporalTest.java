package io.trailguard.rules.sigma;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Threshold;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RateWindow's temporal and temporal_ordered windows (Sigma correlations), without Flink. */
class RateWindowTemporalTest {
    static final long MIN = 60_000L;

    static AggregateSpec spec(AggregateType type, long span, List<String> steps, String op, double value) {
        return new AggregateSpec(type, List.of(), null, span, new Threshold(List.of(op), List.of(value)), steps,
                List.of(), true);
    }

    static AggregateSpec temporal(String... steps) {
        return spec(AggregateType.TEMPORAL, 5 * MIN, List.of(steps), "gte", List.of(steps).stream().distinct().count());
    }

    static AggregateSpec ordered(String... steps) {
        return spec(AggregateType.TEMPORAL_ORDERED, 5 * MIN, List.of(steps), "gte", steps.length);
    }

    static WindowEntry step(long time, String step) {
        return new WindowEntry(time, step + "@" + time, step, new String[] {step}, "acct", "us-east-1");
    }

    /** Feeds "a@0", "b@60000"... (step@time). */
    static List<Firing> feed(WindowState s, AggregateSpec spec, String... events) {
        List<Firing> out = new ArrayList<>();
        for (String e : events) {
            String[] p = e.split("@");
            out.addAll(RateWindow.add(s, spec, step(Long.parseLong(p[1]), p[0])).firings);
        }
        return out;
    }

    static String at(String step, long time) {
        return step + "@" + time;
    }

    @Test
    void temporalFiresWhenEveryRuleIsSeenWithinTheTimespanInAnyOrder() {
        AggregateSpec spec = temporal("a", "b", "c");
        WindowState s = new WindowState();
        assertThat(feed(s, spec, at("c", 0), at("a", MIN))).isEmpty();
        List<Firing> f = feed(s, spec, at("b", 2 * MIN));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).distinctValues()).containsExactly("c", "a", "b");
        assertThat(f.get(0).measure()).isEqualTo(3);
        assertThat(f.get(0).windowStart()).isEqualTo(0);
    }

    @Test
    void temporalNeedsThemAllInsideOneTimespan() {
        AggregateSpec spec = temporal("a", "b");
        // (t - 5m, t]: a at 0 is out of the window of b at 5m
        assertThat(feed(new WindowState(), spec, at("a", 0), at("b", 5 * MIN))).isEmpty();
        assertThat(feed(new WindowState(), spec, at("a", 1), at("b", 5 * MIN))).hasSize(1);
        // repeating one rule is not enough
        assertThat(feed(new WindowState(), spec, at("a", 0), at("a", 1), at("a", 2))).isEmpty();
    }

    @Test
    void temporalStraddlingAnyBucketBoundaryStillFires() {
        AggregateSpec spec = spec(AggregateType.TEMPORAL, MIN, List.of("a", "b"), "gte", 2);
        // 4:50 and 5:10: fixed 1-minute (or 5-minute) buckets would separate them
        assertThat(feed(new WindowState(), spec, at("a", 5 * MIN - 10_000), at("b", 5 * MIN + 10_000))).hasSize(1);
    }

    @Test
    void temporalOrderedFiresInOrderOnly() {
        AggregateSpec spec = ordered("a", "b", "c");
        List<Firing> f = feed(new WindowState(), spec, at("a", 0), at("b", MIN), at("c", 2 * MIN));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).distinctValues()).containsExactly("a", "b", "c");
        assertThat(f.get(0).eventIds()).containsExactly("a@0", "b@60000", "c@120000");
        assertThat(f.get(0).first().eventId()).isEqualTo("a@0");
        assertThat(f.get(0).last().eventId()).isEqualTo("c@120000");
    }

    @Test
    void reversedOrderDoesNotFireTemporalOrdered() {
        AggregateSpec spec = ordered("a", "b");
        WindowState s = new WindowState();
        assertThat(feed(s, spec, at("b", 0), at("a", MIN))).isEmpty();
        // ... but a later b completes a then b
        assertThat(feed(s, spec, at("b", 2 * MIN))).hasSize(1);
        // the same events reversed fire temporal
        assertThat(feed(new WindowState(), temporal("a", "b"), at("b", 0), at("a", MIN))).hasSize(1);
    }

    @Test
    void orderIsEventTimeNotArrival() {
        AggregateSpec spec = ordered("a", "b");
        // b (at 2m) arrives first, a (at 1m) arrives late: a happened before b
        List<Firing> f = feed(new WindowState(), spec, at("b", 2 * MIN), at("a", MIN));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).eventIds()).containsExactly("a@60000", "b@120000");
        // a (at 3m) arriving after b (at 2m) is after it in event time: no sequence
        assertThat(feed(new WindowState(), spec, at("b", 2 * MIN), at("a", 3 * MIN))).isEmpty();
    }

    @Test
    void eachStepIsAtOrAfterThePreviousOne() {
        AggregateSpec spec = ordered("a", "b");
        // the same timestamp counts as "at", whatever the arrival order
        assertThat(feed(new WindowState(), spec, at("b", MIN), at("a", MIN))).hasSize(1);
        assertThat(feed(new WindowState(), spec, at("a", MIN), at("b", MIN))).hasSize(1);
        // one event cannot serve two steps of the same rule
        AggregateSpec aba = ordered("a", "b", "a");
        WindowState s = new WindowState();
        assertThat(feed(s, aba, at("a", 0), at("b", MIN))).isEmpty();
        assertThat(feed(s, aba, at("a", 2 * MIN))).hasSize(1);
    }

    @Test
    void theSequenceMustFitTheTimespan() {
        AggregateSpec spec = ordered("a", "b", "c");
        assertThat(feed(new WindowState(), spec, at("a", 0), at("b", MIN), at("c", 5 * MIN))).isEmpty();
        // a newer a restarts the sequence inside the window
        assertThat(feed(new WindowState(), spec, at("a", 0), at("a", 2 * MIN), at("b", 3 * MIN), at("c", 6 * MIN)))
                .hasSize(1);
    }

    @Test
    void oneAlertPerBurst() {
        AggregateSpec spec = ordered("a", "b");
        WindowState s = new WindowState();
        assertThat(feed(s, spec, at("a", 0), at("b", MIN))).hasSize(1);
        assertThat(feed(s, spec, at("a", 2 * MIN), at("b", 3 * MIN))).as("suppressed until 6m").isEmpty();
        assertThat(feed(s, spec, at("a", 7 * MIN), at("b", 8 * MIN))).hasSize(1);
    }

    @Test
    void groupsAreIndependentStates() {
        AggregateSpec spec = ordered("a", "b");
        WindowState alice = new WindowState();
        WindowState bob = new WindowState();
        assertThat(feed(alice, spec, at("a", 0))).isEmpty();
        assertThat(feed(bob, spec, at("b", MIN))).as("bob's b does not complete alice's a").isEmpty();
        assertThat(feed(alice, spec, at("b", 2 * MIN))).hasSize(1);
    }

    @Test
    void absenceFiresAtTheWindowEndOpenedByTheFirstStep() {
        // "a not followed by b within 5 minutes": temporal_ordered [a, b] with lt 2
        AggregateSpec spec = spec(AggregateType.TEMPORAL_ORDERED, 5 * MIN, List.of("a", "b"), "lt", 2);
        WindowState s = new WindowState();
        assertThat(RateWindow.add(s, spec, step(0, "b")).timer).as("b opens no window").isEqualTo(WindowState.NONE);
        RateWindow.Update u = RateWindow.add(s, spec, step(MIN, "a"));
        assertThat(u.firings).isEmpty();
        assertThat(u.timer).isEqualTo(6 * MIN);
        RateWindow.Update end = RateWindow.windowEnd(s, spec, 6 * MIN);
        assertThat(end.firings).hasSize(1);
        assertThat(end.firings.get(0).measure()).isEqualTo(1);
        assertThat(end.firings.get(0).windowEnd()).isEqualTo(6 * MIN);
        // followed in time: no alert
        WindowState t = new WindowState();
        long timer = RateWindow.add(t, spec, step(0, "a")).timer;
        RateWindow.add(t, spec, step(4 * MIN, "b"));
        assertThat(RateWindow.windowEnd(t, spec, timer).firings).isEmpty();
        // exactly at the window end is too late ([t, t + 5m))
        WindowState late = new WindowState();
        long timer2 = RateWindow.add(late, spec, step(0, "a")).timer;
        RateWindow.add(late, spec, step(5 * MIN, "b"));
        assertThat(RateWindow.windowEnd(late, spec, timer2).firings).hasSize(1);
    }

    @Test
    void temporalLtIsFewerRulesThanExpectedAtTheWindowEnd() {
        AggregateSpec spec = spec(AggregateType.TEMPORAL, 5 * MIN, List.of("a", "b", "c"), "lt", 3);
        WindowState s = new WindowState();
        long timer = RateWindow.add(s, spec, step(0, "a")).timer;
        RateWindow.add(s, spec, step(MIN, "b"));
        RateWindow.Update end = RateWindow.windowEnd(s, spec, timer);
        assertThat(end.firings).hasSize(1);
        assertThat(end.firings.get(0).distinctValues()).containsExactly("a", "b");
    }

    @Test
    void snapshotAndRestoreMidWindowContinueExactly() throws Exception {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        AggregateSpec spec = ordered("a", "b", "c");
        WindowState s = WindowState.forRule("fp");
        assertThat(feed(s, spec, at("a", 0), at("b", MIN))).isEmpty();
        String json = mapper.writeValueAsString(s);
        WindowState restored = mapper.readValue(json, WindowState.class);
        assertThat(java.util.Arrays.copyOf(restored.entries, restored.size)).extracting(WindowEntry::eventId)
                .containsExactly("a@0", "b@60000");
        assertThat(restored.countedUnder("fp")).isTrue();
        assertThat(restored.countedUnder("fq")).isFalse();
        List<Firing> f = feed(restored, spec, at("c", 2 * MIN));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).eventIds()).containsExactly("a@0", "b@60000", "c@120000");
        // the same as without the snapshot
        assertThat(feed(s, spec, at("c", 2 * MIN))).hasSize(1);
    }

    @Test
    void recordsWithoutAnEventIdStillCount() {
        AggregateSpec count = new AggregateSpec(AggregateType.EVENT_COUNT, List.of(), null, MIN,
                new Threshold(List.of("gte"), List.of(2.0)));
        WindowState s = new WindowState();
        RateWindow.add(s, count, new WindowEntry(0, null, null, new String[0], null, null));
        List<Firing> f = RateWindow.add(s, count, new WindowEntry(1, "e1", null, new String[0], null, null)).firings;
        assertThat(f).hasSize(1);
        assertThat(f.get(0).eventIds()).containsExactly("e1");
        WindowState t = new WindowState();
        RateWindow.add(t, ordered("a", "b"), new WindowEntry(0, null, "a", new String[0], null, null));
        assertThat(RateWindow.add(t, ordered("a", "b"), new WindowEntry(1, null, "b", new String[0], null, null))
                .firings).singleElement().satisfies(x -> assertThat(x.eventIds()).isEmpty());
    }

    @Test
    void temporalTypesNeedSteps() {
        assertThatThrownBy(() -> spec(AggregateType.TEMPORAL, MIN, List.of(), "gte", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
