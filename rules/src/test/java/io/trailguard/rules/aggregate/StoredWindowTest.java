package io.trailguard.rules.aggregate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredWindowTest {
    static final String FP = "0123456789abcdef";
    static final AggregateSpec COUNT = new AggregateSpec(AggregateType.EVENT_COUNT, List.of(), null, 60_000,
            new Threshold(List.of("gte"), List.of(3.0)));

    static WindowEntry entry(long time, String id) {
        return WindowEntry.of(new Signal("R", FP, new String[] {"1.1.1.1"}, time, id, null,
                new String[] {"1.1.1.1", "alice"}, "111122223333", "us-east-1"));
    }

    @Test
    void aStateOfOneEntryAndNothingElseIsStoredAsOneObjectThatOpensToTheSameState() {
        WindowState s = WindowState.forRule(FP);
        RateWindow.add(s, COUNT, entry(1000, "a"));
        Object stored = StoredWindow.of(s);
        assertThat(stored).isInstanceOf(SingleEntryWindow.class);
        assertThat(StoredWindow.countedUnder(stored, FP)).isTrue();
        assertThat(StoredWindow.countedUnder(stored, "fedcba9876543210")).isFalse();
        WindowState opened = StoredWindow.open(stored);
        assertThat(opened.countedUnder(FP)).isTrue();
        assertThat(opened.size).isEqualTo(1);
        assertThat(opened.entry(0)).isSameAs(stored);
        assertThat(opened.entry(0).time).isEqualTo(1000);
        assertThat(opened.entry(0).eventId()).isEqualTo("a");
        assertThat(opened.entry(0).outputValue(1, new String[] {"1.1.1.1"})).isEqualTo("alice");
        assertThat(opened.entry(0).outputValue(0, new String[] {"1.1.1.1"})).isEqualTo("1.1.1.1");
        assertThat(opened.isEmpty()).isFalse();
        // stored back unchanged: the same object, no copy
        assertThat(StoredWindow.of(opened)).isSameAs(stored);
    }

    @Test
    void everyOtherStateIsStoredAsItIs() {
        WindowState two = WindowState.forRule(FP);
        RateWindow.add(two, COUNT, entry(1000, "a"));
        RateWindow.add(two, COUNT, entry(2000, "b"));
        assertThat(StoredWindow.of(two)).isSameAs(two);
        WindowState suppressed = StoredWindow.open(StoredWindow.of(one()));
        suppressed.suppressedUntil = 5;
        assertThat(StoredWindow.of(suppressed)).isSameAs(suppressed);
        assertThat(suppressed.entry(0)).isNotInstanceOf(SingleEntryWindow.class);
        assertThat(suppressed.entry(0).eventId()).isEqualTo("a");
        WindowState open = one();
        open.openWindowStart = 5;
        assertThat(StoredWindow.of(open)).isSameAs(open);
        WindowState fired = one();
        fired.fired = new long[] {5};
        assertThat(StoredWindow.of(fired)).isSameAs(fired);
        WindowState empty = WindowState.forRule(FP);
        assertThat(StoredWindow.of(empty)).isSameAs(empty);
        assertThat(StoredWindow.open(two)).isSameAs(two);
        assertThat(StoredWindow.open(null)).isNull();
        assertThatThrownBy(() -> StoredWindow.open("x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A state opened from a single entry counts on as the state it stands for: the third event fires. */
    @Test
    void aStateOpenedFromOneEntryCountsOn() {
        Object stored = StoredWindow.of(one());
        WindowState s = StoredWindow.open(stored);
        assertThat(RateWindow.add(s, COUNT, entry(1500, "b")).firings).isEmpty();
        Object two = StoredWindow.of(s);
        assertThat(two).isSameAs(s);
        List<Firing> f = RateWindow.add(StoredWindow.open(two), COUNT, entry(1700, "c")).firings;
        assertThat(f).hasSize(1);
        assertThat(f.get(0).count()).isEqualTo(3);
        // a state that grew holds plain entries (the single-entry form's fingerprint is not kept per entry)
        assertThat(s.entry(0)).isNotInstanceOf(SingleEntryWindow.class);
        assertThat(s.entry(0).eventId()).isEqualTo("a");
        assertThat(s.entry(0).time).isEqualTo(1000);
        assertThat(s.entry(0).outputValue(1, new String[] {"1.1.1.1"})).isEqualTo("alice");
        // a state of another rule is not the entry's: stored as a new single entry of that rule
        WindowState other = WindowState.forRule("fedcba9876543210");
        RateWindow.add(other, COUNT, (WindowEntry) stored);
        Object again = StoredWindow.of(other);
        assertThat(again).isNotSameAs(stored).isInstanceOf(SingleEntryWindow.class);
        assertThat(StoredWindow.countedUnder(again, "fedcba9876543210")).isTrue();
    }

    private static WindowState one() {
        WindowState s = WindowState.forRule(FP);
        RateWindow.add(s, COUNT, entry(1000, "a"));
        return s;
    }
}
