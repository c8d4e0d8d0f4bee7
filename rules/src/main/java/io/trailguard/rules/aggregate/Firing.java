package io.trailguard.rules.aggregate;

import java.util.List;

/** A rate rule whose threshold held for one window of one group: everything the alert reports. */
public final class Firing {
    /** Maximum contributing event ids an alert carries. */
    public static final int MAX_EVENT_IDS = 20;
    /** Maximum distinct values an alert carries. */
    public static final int MAX_VALUES = 100;

    private final long windowStart;
    private final long windowEnd;
    private final long count;
    private final double measure;
    private final List<String> distinctValues;
    private final WindowEntry first;
    private final WindowEntry last;
    private final List<String> eventIds;

    Firing(long windowStart, long windowEnd, long count, double measure, List<String> distinctValues,
           WindowEntry first, WindowEntry last, List<String> eventIds) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.count = count;
        this.measure = measure;
        this.distinctValues = List.copyOf(distinctValues);
        this.first = first;
        this.last = last;
        this.eventIds = List.copyOf(eventIds);
    }

    /** Time of the first counted event of the window (part of the finding id). */
    public long windowStart() {
        return windowStart;
    }

    /** Time the window was decided at: the anchoring event, or the window end for "too few" rules. */
    public long windowEnd() {
        return windowEnd;
    }

    /** Number of counted events in the window. */
    public long count() {
        return count;
    }

    /** The measured value the threshold was tested on (count, distinct count, sum or average). */
    public double measure() {
        return measure;
    }

    /** Distinct values of the aggregate field (at most {@link #MAX_VALUES}, in first-seen order). */
    public List<String> distinctValues() {
        return distinctValues;
    }

    public WindowEntry first() {
        return first;
    }

    /** The last counted event of the window: its fields fill the alert output. */
    public WindowEntry last() {
        return last;
    }

    /** Up to {@link #MAX_EVENT_IDS} contributing CloudTrail event ids, oldest first. */
    public List<String> eventIds() {
        return eventIds;
    }
}
