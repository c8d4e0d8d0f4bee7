package io.trailguard.rules.aggregate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Sliding event-time windows, thresholds, suppression and out-of-order input, without Flink. */
class RateWindowTest {
    static final long MIN = 60_000L;

    static AggregateSpec spec(AggregateType type, long spanMillis, String op, double value) {
        return new AggregateSpec(type, List.of(), null, spanMillis, new Threshold(List.of(op), List.of(value)));
    }

    static WindowEntry entry(long time, String id) {
        return entry(time, id, null);
    }

    static WindowEntry entry(long time, String id, String value) {
        return new WindowEntry(time, id, value, new String[] {id}, "acct", "us-east-1");
    }

    static List<Firing> feed(WindowState s, AggregateSpec spec, long... times) {
        List<Firing> out = new ArrayList<>();
        for (long t : times) {
            out.addAll(RateWindow.add(s, spec, entry(t, "e" + t)).firings);
        }
        return out;
    }

    @Test
    void firesAtTheThresholdAndNotBelow() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "gte", 3);
        WindowState s = new WindowState();
        assertThat(feed(s, spec, 0, MIN)).isEmpty();
        List<Firing> f = feed(s, spec, 2 * MIN);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).count()).isEqualTo(3);
        assertThat(f.get(0).windowStart()).isEqualTo(0);
        assertThat(f.get(0).first().eventId()).isEqualTo("e0");
        assertThat(f.get(0).last().eventId()).isEqualTo("e" + 2 * MIN);
        assertThat(f.get(0).eventIds()).containsExactly("e0", "e60000", "e120000");
    }

    @Test
    void eventsOlderThanTheTimespanDoNotCount() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "gte", 3);
        // (t - 5m, t]: the event exactly 5 minutes earlier is outside
        assertThat(feed(new WindowState(), spec, 0, 3 * MIN, 5 * MIN)).isEmpty();
        assertThat(feed(new WindowState(), spec, 1, 3 * MIN, 5 * MIN)).hasSize(1);
    }

    @Test
    void aBurstStraddlingAnyBucketBoundaryStillFires() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "gte", 4);
        // 4:00, 4:30, 5:10, 5:50 -- fixed 5-minute buckets would count 2 + 2
        assertThat(feed(new WindowState(), spec, 4 * MIN, 4 * MIN + 30_000, 5 * MIN + 10_000, 5 * MIN + 50_000))
                .hasSize(1);
    }

    @Test
    void oneAlertPerBurstThenFiresAgainAfterTheTimespan() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "gte", 2);
        WindowState s = new WindowState();
        assertThat(feed(s, spec, 0, 1000)).hasSize(1);
        assertThat(feed(s, spec, 2000, 3000, 4 * MIN)).isEmpty();
        // suppression ends 5 minutes after the firing anchor (1000)
        assertThat(feed(s, spec, 5 * MIN + 1000)).hasSize(1);
    }

    @Test
    void resultsDependOnEventTimeNotArrivalOrder() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "gte", 3);
        // arrival 10, 12, 11 (minutes): the window ending at 12 holds 3 events once 11 arrives
        List<Firing> f = feed(new WindowState(), spec, 10 * MIN, 12 * MIN, 11 * MIN);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).windowStart()).isEqualTo(10 * MIN);
        assertThat(f.get(0).last().time).isEqualTo(12 * MIN);
        List<Firing> reversed = feed(new WindowState(), spec, 12 * MIN, 11 * MIN, 10 * MIN);
        assertThat(reversed).hasSize(1);
        assertThat(reversed.get(0).windowStart()).isEqualTo(10 * MIN);
    }

    @Test
    void aBurstWhoseStartArrivesLateIsReportedOnceAndTheNextBurstStillFires() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "gte", 3);
        // event-time order: the burst from 10 min fires at 11, the next one after its suppression, at 16
        List<Firing> ordered = feed(new WindowState(), spec, 10 * MIN, 10 * MIN + 30_000, 11 * MIN, 14 * MIN,
                14 * MIN + 30_000, 16 * MIN, 16 * MIN + 30_000);
        assertThat(ordered).extracting(Firing::windowEnd).containsExactly(11 * MIN, 16 * MIN);
        // the same events, the later part of the first burst read first (another shard ahead): it fires at 14:30;
        // the burst's start arrives late and joins it (no second alert); the next burst still fires at 16
        WindowState s = new WindowState();
        assertThat(feed(s, spec, 11 * MIN, 14 * MIN, 14 * MIN + 30_000)).extracting(Firing::windowEnd)
                .containsExactly(14 * MIN + 30_000);
        assertThat(feed(s, spec, 10 * MIN, 10 * MIN + 30_000)).isEmpty();
        assertThat(feed(s, spec, 16 * MIN, 16 * MIN + 30_000)).extracting(Firing::windowEnd)
                .containsExactly(16 * MIN);
    }

    @Test
    void outOfOrderArrivalGivesAsManyAlertsAsEventTimeOrder() {
        java.util.Random random = new java.util.Random(7);
        int compared = 0;
        for (int round = 0; round < 2000; round++) {
            AggregateType type = random.nextBoolean() ? AggregateType.EVENT_COUNT : AggregateType.VALUE_COUNT;
            AggregateSpec spec = new AggregateSpec(type, List.of(), null, 10 + random.nextInt(20),
                    new Threshold(List.of("gte"), List.of((double) (1 + random.nextInt(4)))));
            List<WindowEntry> events = new ArrayList<>();
            int n = 5 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                events.add(entry(random.nextInt(120), String.format("e%03d", i), "v" + random.nextInt(4)));
            }
            List<WindowEntry> inOrder = new ArrayList<>(events);
            inOrder.sort(java.util.Comparator.comparingLong((WindowEntry e) -> e.time).thenComparing(e -> e.eventId()));
            List<Long> ordered = anchors(spec, inOrder);
            List<WindowEntry> shuffled = new ArrayList<>(events);
            java.util.Collections.shuffle(shuffled, random);
            List<Long> arrived = anchors(spec, shuffled);
            assertThat(arrived.size()).as("round %d: %s in order, %s out of order", round, ordered, arrived)
                    .isEqualTo(ordered.size());
            compared += ordered.size();
        }
        assertThat(compared).isGreaterThan(1000);
    }

    static List<Long> anchors(AggregateSpec spec, List<WindowEntry> arrival) {
        WindowState s = new WindowState();
        List<Long> out = new ArrayList<>();
        for (WindowEntry e : arrival) {
            for (Firing f : RateWindow.add(s, spec, entry(e.time, e.eventId(), e.value)).firings) {
                out.add(f.windowEnd());
            }
        }
        return out;
    }

    @Test
    void valueCountCountsDistinctValues() {
        AggregateSpec spec = new AggregateSpec(AggregateType.VALUE_COUNT, List.of(), null, 10 * MIN,
                new Threshold(List.of("gte"), List.of(3.0)));
        WindowState s = new WindowState();
        assertThat(RateWindow.add(s, spec, entry(0, "a", "ListUsers")).firings).isEmpty();
        assertThat(RateWindow.add(s, spec, entry(1, "b", "ListUsers")).firings).isEmpty();
        assertThat(RateWindow.add(s, spec, entry(2, "c", "ListRoles")).firings).isEmpty();
        List<Firing> f = RateWindow.add(s, spec, entry(3, "d", "ListBuckets")).firings;
        assertThat(f).hasSize(1);
        assertThat(f.get(0).distinctValues()).containsExactly("ListUsers", "ListRoles", "ListBuckets");
        assertThat(f.get(0).count()).isEqualTo(4);
    }

    @Test
    void sumAndAverage() {
        WindowState s = new WindowState();
        AggregateSpec sum = new AggregateSpec(AggregateType.VALUE_SUM, List.of(), null, MIN,
                new Threshold(List.of("gt"), List.of(100.0)));
        assertThat(RateWindow.add(s, sum, entry(0, "a", "60")).firings).isEmpty();
        assertThat(RateWindow.add(s, sum, entry(1, "b", "not a number")).firings).isEmpty();
        assertThat(RateWindow.add(s, sum, entry(2, "c", "41")).firings).extracting(Firing::measure).containsExactly(101.0);
        WindowState t = new WindowState();
        AggregateSpec avg = new AggregateSpec(AggregateType.VALUE_AVG, List.of(), null, MIN,
                new Threshold(List.of("gte"), List.of(50.0)));
        assertThat(RateWindow.add(t, avg, entry(0, "a", "10")).firings).isEmpty();
        assertThat(RateWindow.add(t, avg, entry(1, "b", "100")).firings).extracting(Firing::measure).containsExactly(55.0);
    }

    @Test
    void tooFewFiresAtTheWindowEndOnly() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "lt", 3);
        WindowState s = new WindowState();
        RateWindow.Update u = RateWindow.add(s, spec, entry(0, "a"));
        assertThat(u.firings).isEmpty();
        assertThat(u.timer).isEqualTo(5 * MIN);
        assertThat(RateWindow.add(s, spec, entry(MIN, "b")).timer).isEqualTo(WindowState.NONE);
        RateWindow.Update end = RateWindow.windowEnd(s, spec, 5 * MIN);
        assertThat(end.firings).hasSize(1);
        assertThat(end.firings.get(0).count()).isEqualTo(2);
        assertThat(end.firings.get(0).windowEnd()).isEqualTo(5 * MIN);
        // a busy window does not fire
        WindowState busy = new WindowState();
        long timer = RateWindow.add(busy, spec, entry(0, "a")).timer;
        feed(busy, spec, 1, 2, 3);
        assertThat(RateWindow.windowEnd(busy, spec, timer).firings).isEmpty();
    }

    @Test
    void aLateEventReAnchorsTheOpenTooFewWindow() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "lte", 1);
        WindowState s = new WindowState();
        assertThat(RateWindow.add(s, spec, entry(2 * MIN, "a")).timer).isEqualTo(7 * MIN);
        assertThat(RateWindow.add(s, spec, entry(MIN, "b")).timer).isEqualTo(6 * MIN);
        assertThat(RateWindow.windowEnd(s, spec, 7 * MIN).firings).as("stale timer").isEmpty();
        assertThat(RateWindow.windowEnd(s, spec, 6 * MIN).firings).as("2 events in [1m, 6m)").isEmpty();
    }

    @Test
    void aRangeWaitsForTheWindowEnd() {
        AggregateSpec spec = new AggregateSpec(AggregateType.EVENT_COUNT, List.of(), null, MIN,
                new Threshold(List.of("gte", "lte"), List.of(2.0, 3.0)));
        WindowState s = new WindowState();
        long timer = RateWindow.add(s, spec, entry(0, "a")).timer;
        RateWindow.add(s, spec, entry(10, "b"));
        assertThat(RateWindow.windowEnd(s, spec, timer).firings).hasSize(1);
    }

    @Test
    void evictionKeepsOnlyWhatOpenWindowsNeed() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 5 * MIN, "gte", 100);
        WindowState s = new WindowState();
        feed(s, spec, 0, MIN, 2 * MIN, 10 * MIN);
        RateWindow.evictThrough(s, spec, 2 * MIN);
        assertThat(java.util.Arrays.copyOf(s.entries, s.size)).extracting(e -> e.time).containsExactly(10 * MIN);
        RateWindow.evictThrough(s, spec, 20 * MIN);
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void entriesPerGroupAreBounded() {
        AggregateSpec spec = spec(AggregateType.EVENT_COUNT, 1000 * MIN, "gt", 20_000);
        WindowState s = new WindowState();
        int limit = RateWindow.MAX_ENTRIES + RateWindow.TRIM_BATCH;
        for (int i = 0; i < limit; i++) {
            RateWindow.add(s, spec, entry(i, "e"));
        }
        assertThat(s.size).isEqualTo(limit); // within the slack: nothing dropped yet
        RateWindow.add(s, spec, entry(limit, "e"));
        // beyond it: the oldest are dropped down to MAX_ENTRIES, the newest kept
        assertThat(s.size).isEqualTo(RateWindow.MAX_ENTRIES);
        assertThat(s.entry(0).time).isEqualTo(limit + 1 - RateWindow.MAX_ENTRIES);
        assertThat(s.entry(RateWindow.MAX_ENTRIES - 1).time).isEqualTo(limit);
        // an entry older than everything kept, arriving at the limit, is dropped at once and fires nothing
        for (int i = 0; i < RateWindow.TRIM_BATCH; i++) {
            RateWindow.add(s, spec, entry(limit + 1 + i, "e"));
        }
        assertThat(RateWindow.add(s, spec, entry(0, "old")).firings).isEmpty();
        assertThat(s.size).isEqualTo(RateWindow.MAX_ENTRIES);
        assertThat(s.entry(0).time).isGreaterThan(0);
    }

    @Test
    void theDistinctValueCacheGivesTheSameFiringsAsRescanningTheWindow() {
        java.util.Random random = new java.util.Random(11);
        for (int round = 0; round < 200; round++) {
            AggregateSpec spec = new AggregateSpec(AggregateType.VALUE_COUNT, List.of(), null, 60_000,
                    new Threshold(List.of("gte"), List.of((double) (2 + random.nextInt(6)))));
            WindowState cached = new WindowState();
            WindowState rescanned = new WindowState();
            long t = 0;
            for (int i = 0; i < 300; i++) {
                t += random.nextInt(3) == 0 ? 0 : random.nextInt(4000);
                long time = random.nextInt(20) == 0 ? Math.max(0, t - random.nextInt(90_000)) : t; // some late
                WindowEntry e = entry(time, "e" + i, "v" + random.nextInt(12));
                List<Firing> a = RateWindow.add(cached, spec, e).firings;
                rescanned.distinct = null;
                List<Firing> b = RateWindow.add(rescanned, spec, e).firings;
                assertThat(a).extracting(Firing::windowStart, Firing::count, Firing::measure, Firing::distinctValues)
                        .isEqualTo(b.stream().map(f -> org.assertj.core.groups.Tuple.tuple(f.windowStart(), f.count(),
                                f.measure(), f.distinctValues())).collect(java.util.stream.Collectors.toList()));
                if (random.nextInt(25) == 0) {
                    RateWindow.evictThrough(cached, spec, t - 70_000);
                    RateWindow.evictThrough(rescanned, spec, t - 70_000);
                }
            }
        }
    }
}
