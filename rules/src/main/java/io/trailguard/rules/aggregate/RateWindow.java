package io.trailguard.rules.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Sliding event-time windows of one (rate rule, group): the operator logic, as plain Java on a
 * {@link WindowState}, so it is tested without Flink and runs the same in every host.
 *
 * <p>Semantics (Sigma correlation semantics): at each counted event the window is the {@code timespan} ending
 * at it, {@code (t - timespan, t]}; no fixed buckets. A threshold of gt/gte/eq/neq is tested at every such
 * anchor as soon as its events are known, including anchors after a late event whose windows it joins, so the
 * result depends on event time, not arrival order. A threshold with lt/lte ("too few") is decided when a window
 * opened by a counted event reaches its end ({@code [t, t + timespan)}), on an event-time timer. After firing,
 * anchors from the fire time to {@code fire time + timespan} do not fire again: one alert per burst. When events
 * arrive out of order (shards read at different paces), a firing can be decided before an earlier anchor's events
 * are known. Such an anchor, if it holds the threshold within a timespan before the firing, belongs to the burst
 * already reported: no second alert, but the burst's suppression now starts there, as in event-time order, so the
 * next burst after it is not hidden; an anchor a whole timespan or more before every firing fires on its own.
 *
 * <p>Temporal types (Sigma correlations; each entry's value is the step, i.e. the referenced rule, it matched):
 * {@code temporal} measures the number of distinct steps in the window; {@code temporal_ordered} measures how many
 * steps of {@link AggregateSpec#steps()} occur in order in the window, each at or after the previous step's event
 * time (entries with equal times may serve consecutive steps in either order), matched greedily from the first
 * step. A window whose entries arrive in the reverse order therefore measures less than the full sequence, and a
 * late event is placed by its event time, so the result does not depend on arrival order.
 */
public final class RateWindow {
    /**
     * Entries a group keeps at least when it has more (thresholds above it are refused); the oldest are dropped in
     * batches of {@link #TRIM_BATCH} once a group exceeds it by that much, so a busy group holds at most
     * {@code MAX_ENTRIES + TRIM_BATCH} entries and does not shift its array on every event.
     */
    public static final int MAX_ENTRIES = 10_000;
    /** How far a group may exceed {@link #MAX_ENTRIES} before its oldest entries are dropped. */
    public static final int TRIM_BATCH = MAX_ENTRIES / 16;

    private RateWindow() {}

    /** What adding an event or ending a window produced: alerts to raise and the timer to set (or NONE). */
    public static final class Update {
        public final List<Firing> firings;
        public final long timer;

        Update(List<Firing> firings, long timer) {
            this.firings = firings;
            this.timer = timer;
        }
    }

    /** Counts one event into the group's state. */
    public static Update add(WindowState s, AggregateSpec spec, WindowEntry e) {
        int at = insert(s, e);
        long span = spec.timespanMillis();
        if (spec.threshold().atWindowEnd()) {
            long timer = WindowState.NONE;
            if (opensWindow(spec, e) && e.time >= s.suppressedUntil
                    && (s.openWindowStart == WindowState.NONE || e.time < s.openWindowStart)) {
                s.openWindowStart = e.time;
                timer = e.time + span;
            }
            return new Update(List.of(), timer);
        }
        if (at < 0) {
            return new Update(List.of(), WindowState.NONE); // older than every kept entry: dropped at once
        }
        List<Firing> firings = new ArrayList<>(1);
        List<long[]> rechecks = new ArrayList<>(0);
        // A window is (anchor.time - span, anchor.time] up to the anchor's index, so the windows the new entry joins
        // are those of the entry itself and of the entries after it within the span; every other anchor was measured
        // with exactly its present entries when it or its latest entry arrived, and did not fire (or is suppressed).
        // For distinct-value types an anchor whose window already holds the entry's value (another entry with that
        // value at or after the new one) measures what it measured before, and so do all later anchors: stop there.
        boolean distinctOnly = spec.type() == AggregateType.VALUE_COUNT || spec.type() == AggregateType.TEMPORAL;
        for (int i = at; i < s.size; i++) {
            WindowEntry anchor = s.entries[i];
            if (anchor.time >= e.time + span) {
                break;
            }
            if (i > at && distinctOnly && (e.value == null || e.value.equals(anchor.value))) {
                break;
            }
            decide(s, spec, i, firings, rechecks);
        }
        // a burst that moved to an earlier start no longer suppresses the anchors after its new span: measure them
        while (!rechecks.isEmpty()) {
            long[] range = rechecks.remove(rechecks.size() - 1);
            for (int i = lowerBound(s, range[0]); i < s.size && s.entries[i].time < range[1]; i++) {
                decide(s, spec, i, firings, rechecks);
            }
        }
        return new Update(firings, WindowState.NONE);
    }

    /**
     * Decides the on-arrival threshold at anchor {@code i}: suppressed by a burst that started at or before it within
     * the span; else, when it holds, either the earlier start of a burst that fired after it within the span (the
     * burst moves here, and the anchors its old span suppressed are queued in {@code rechecks}) or a new firing.
     */
    private static void decide(WindowState s, AggregateSpec spec, int i, List<Firing> firings,
                               List<long[]> rechecks) {
        long span = spec.timespanMillis();
        WindowEntry anchor = s.entries[i];
        if (s.suppresses(anchor.time, span)) {
            return;
        }
        Firing f = measure(s, spec, anchor.time - span, false, anchor.time, i);
        if (f == null) {
            return;
        }
        int later = s.firingAfter(anchor.time, span);
        if (later >= 0) {
            // an earlier anchor of a burst that already fired (its events arrived late): the alert sent stands for
            // the burst, which now starts here, as it would have in event-time order
            long old = s.fired[later];
            s.rebaseFiring(later, anchor.time);
            rechecks.add(new long[] {anchor.time + span, old + span});
            return;
        }
        firings.add(f);
        s.recordFiring(anchor.time);
    }

    /** The event-time timer {@code time} fired: decides a "too few" window ending now. */
    public static Update windowEnd(WindowState s, AggregateSpec spec, long time) {
        long span = spec.timespanMillis();
        if (s.openWindowStart == WindowState.NONE || s.openWindowStart + span != time) {
            return new Update(List.of(), WindowState.NONE); // stale timer (window re-anchored or closed)
        }
        long start = s.openWindowStart;
        int last = lowerBound(s, start + span) - 1;
        List<Firing> firings = new ArrayList<>(1);
        Firing f = last < 0 ? null : measure(s, spec, start, true, start + span, last);
        if (f != null) {
            firings.add(f);
            s.suppressedUntil = start + span;
        }
        s.openWindowStart = WindowState.NONE;
        long timer = WindowState.NONE;
        for (int next = lowerBound(s, start + span); next < s.size; next++) {
            if (opensWindow(spec, s.entries[next])) {
                s.openWindowStart = s.entries[next].time;
                timer = s.openWindowStart + span;
                break;
            }
        }
        return new Update(firings, timer);
    }

    /**
     * Whether an entry opens a "too few" window: any entry, except for temporal_ordered, where only the first step
     * does (so {@code lt} means "the first rule was not followed by the others within the timespan").
     */
    private static boolean opensWindow(AggregateSpec spec, WindowEntry e) {
        return spec.type() != AggregateType.TEMPORAL_ORDERED || spec.steps().get(0).equals(e.value);
    }

    /**
     * Drops entries at or before {@code cutoff} (no window that is still open can need them), and the firings that
     * can suppress none of the anchors left.
     */
    public static void evictThrough(WindowState s, AggregateSpec spec, long cutoff) {
        s.forgetFiringsThrough(cutoff, spec.timespanMillis());
        long keepFrom = s.openWindowStart == WindowState.NONE ? cutoff : Math.min(cutoff, s.openWindowStart - 1);
        int n = upperBound(s, keepFrom);
        if (n > 0) {
            if (s.distinct != null) {
                s.distinct.removedFront(s.entries, n);
            }
            s.removeFirst(n);
        }
    }

    /**
     * Measures the window of entries with time in {@code (from, to]} ({@code [from, to)} when
     * {@code fromInclusive}), whose last entry has index {@code lastIndex}; a Firing when the threshold holds.
     */
    private static Firing measure(WindowState s, AggregateSpec spec, long from, boolean fromInclusive, long decidedAt,
                                  int lastIndex) {
        int firstIndex = fromInclusive ? lowerBound(s, from) : upperBound(s, from);
        if (firstIndex > lastIndex) {
            return null;
        }
        if (spec.type() == AggregateType.TEMPORAL_ORDERED) {
            return measureOrdered(s, spec, decidedAt, firstIndex, lastIndex);
        }
        long count = lastIndex - firstIndex + 1;
        double value;
        Set<String> distinct = new LinkedHashSet<>();
        switch (spec.type()) {
            case EVENT_COUNT:
                value = count;
                break;
            case VALUE_COUNT:
                // slide the cached distinct counts to this window instead of rescanning it
                if (s.distinct == null) {
                    s.distinct = new DistinctCounts();
                }
                value = s.distinct.slideTo(s.entries, firstIndex, lastIndex);
                if (spec.threshold().test(value)) {
                    collectDistinct(s, firstIndex, lastIndex, distinct);
                }
                break;
            case TEMPORAL:
                for (int i = firstIndex; i <= lastIndex; i++) {
                    String v = s.entries[i].value;
                    if (v != null) {
                        distinct.add(v);
                    }
                }
                value = distinct.size();
                break;
            default: {
                double sum = 0;
                long n = 0;
                for (int i = firstIndex; i <= lastIndex; i++) {
                    Double d = number(s.entries[i].value);
                    if (d != null) {
                        sum += d;
                        n++;
                    }
                }
                value = spec.type() == AggregateType.VALUE_SUM ? sum : (n == 0 ? 0 : sum / n);
                break;
            }
            case VALUE_PERCENTILE:
            case VALUE_MEDIAN: {
                double[] xs = new double[lastIndex - firstIndex + 1];
                int n = 0;
                for (int i = firstIndex; i <= lastIndex; i++) {
                    Double d = number(s.entries[i].value);
                    if (d != null) {
                        xs[n++] = d;
                    }
                }
                if (n == 0) {
                    return null; // no numeric value: nothing to compare
                }
                value = Percentiles.of(xs, n, spec.percentile());
                break;
            }
        }
        if (!spec.threshold().test(value)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (String v : distinct) {
            if (values.size() == Firing.MAX_VALUES) {
                break;
            }
            values.add(v);
        }
        List<String> ids = new ArrayList<>();
        for (int i = firstIndex; i <= lastIndex && ids.size() < Firing.MAX_EVENT_IDS; i++) {
            addId(ids, s.entries[i].eventId());
        }
        WindowEntry first = s.entries[firstIndex];
        WindowEntry last = s.entries[lastIndex];
        return new Firing(first.time, decidedAt, count, value, values, first, last, ids);
    }

    /**
     * temporal_ordered: the longest prefix of the steps that occurs in order among the entries
     * {@code [firstIndex, lastIndex]}. Entries are in time order; entries with the same time form a group whose
     * members may serve the next steps in any order (each step is at or after the previous one). Greedy earliest
     * matching is optimal for an ordered subsequence. The firing reports the matched entries.
     */
    private static Firing measureOrdered(WindowState s, AggregateSpec spec, long decidedAt, int firstIndex,
                                         int lastIndex) {
        List<String> steps = spec.steps();
        List<Integer> matched = new ArrayList<>(steps.size());
        int k = 0;
        int i = firstIndex;
        while (i <= lastIndex && k < steps.size()) {
            int j = i;
            long t = s.entries[i].time;
            while (j + 1 <= lastIndex && s.entries[j + 1].time == t) {
                j++;
            }
            if (i == j) {
                if (steps.get(k).equals(s.entries[i].value)) {
                    matched.add(i);
                    k++;
                }
            } else {
                boolean[] used = new boolean[j - i + 1];
                boolean progress = true;
                while (progress && k < steps.size()) {
                    progress = false;
                    for (int x = i; x <= j; x++) {
                        if (!used[x - i] && steps.get(k).equals(s.entries[x].value)) {
                            used[x - i] = true;
                            matched.add(x);
                            k++;
                            progress = true;
                            break;
                        }
                    }
                }
            }
            i = j + 1;
        }
        double value = k;
        if (!spec.threshold().test(value)) {
            return null;
        }
        long count = lastIndex - firstIndex + 1;
        List<String> values = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int m : matched) {
            WindowEntry e = s.entries[m];
            values.add(e.value);
            if (ids.size() < Firing.MAX_EVENT_IDS) {
                addId(ids, e.eventId());
            }
        }
        WindowEntry first = matched.isEmpty() ? s.entries[firstIndex] : s.entries[matched.get(0)];
        WindowEntry last = matched.isEmpty() ? s.entries[lastIndex] : s.entries[matched.get(matched.size() - 1)];
        if (matched.isEmpty()) {
            for (int x = firstIndex; x <= lastIndex && ids.size() < Firing.MAX_EVENT_IDS; x++) {
                addId(ids, s.entries[x].eventId());
            }
        }
        return new Firing(first.time, decidedAt, count, value, values, first, last, ids);
    }

    /** Event ids of the firing: records without an eventID contribute none (a null would not fit the list). */
    private static void addId(List<String> ids, String id) {
        if (id != null) {
            ids.add(id);
        }
    }

    private static Double number(String v) {
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void collectDistinct(WindowState s, int firstIndex, int lastIndex, Set<String> distinct) {
        for (int i = firstIndex; i <= lastIndex; i++) {
            String v = s.entries[i].value;
            if (v != null) {
                distinct.add(v);
            }
        }
    }

    /** Inserts after the entries of equal or earlier time; the index of the new entry (-1 if dropped at once). */
    private static int insert(WindowState s, WindowEntry e) {
        int at = upperBound(s, e.time);
        if (s.distinct != null) {
            s.distinct.inserted(at, e.value);
        }
        s.insert(at, e);
        if (s.size > MAX_ENTRIES + TRIM_BATCH) {
            int n = s.size - MAX_ENTRIES;
            if (s.distinct != null) {
                s.distinct.removedFront(s.entries, n);
            }
            s.removeFirst(n);
            at -= n;
        }
        return at;
    }

    /** First index with time >= t. */
    static int lowerBound(WindowState s, long t) {
        int lo = 0;
        int hi = s.size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.entries[mid].time < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index with time > t. */
    static int upperBound(WindowState s, long t) {
        int lo = 0;
        int hi = s.size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.entries[mid].time <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
