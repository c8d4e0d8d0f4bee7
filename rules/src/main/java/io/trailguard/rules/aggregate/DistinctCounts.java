package io.trailguard.rules.aggregate;

import java.util.HashMap;
import java.util.Map;

/**
 * The distinct values of a window {@code [first, last]} of a group's entries, kept up to date as the window slides
 * and as out-of-order entries are inserted, so a value_count rule costs time proportional to how far the window moves
 * instead of a rescan of the window per event. Not part
 * of the checkpointed state (a transient cache): rebuilt by a scan when it is missing or no longer fits.
 */
final class DistinctCounts {
    private final Map<String, Integer> counts = new HashMap<>();
    int first;
    int last = -1;

    /**
     * The number of distinct non-null values in entries [from, to], moving this window there: by the difference
     * when the windows overlap (events arriving out of order move the window back by a few entries), by a scan
     * when they do not.
     */
    int slideTo(WindowEntry[] entries, int from, int to) {
        if (last < first || to < first || from > last) {
            counts.clear();
            first = from;
            last = from - 1;
        }
        while (last < to) {
            add(entries[++last].value);
        }
        while (last > to) {
            remove(entries[last--].value);
        }
        while (first > from) {
            add(entries[--first].value);
        }
        while (first < from) {
            remove(entries[first++].value);
        }
        return counts.size();
    }

    /** An entry was inserted at index {@code at}: shift the window, or count it when it falls inside. */
    void inserted(int at, String value) {
        if (at < first) {
            first++;
            last++;
        } else if (at <= last) {
            last++;
            add(value);
        }
    }

    /** The first {@code n} entries were removed from the list: shift the window (and forget what left it). */
    void removedFront(WindowEntry[] removed, int n) {
        for (int i = 0; i < n; i++) {
            if (i >= first && i <= last) {
                remove(removed[i].value);
            }
        }
        first = Math.max(0, first - n);
        last = last - n;
        if (last < first - 1) {
            counts.clear();
            last = first - 1;
        }
    }

    private void add(String v) {
        if (v != null) {
            counts.merge(v, 1, Integer::sum);
        }
    }

    private void remove(String v) {
        if (v != null) {
            counts.computeIfPresent(v, (k, c) -> c == 1 ? null : c - 1);
        }
    }
}
