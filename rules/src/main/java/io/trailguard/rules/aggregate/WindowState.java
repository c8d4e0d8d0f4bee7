package io.trailguard.rules.aggregate;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one (rate rule, group) pair: its counted events in event-time order, the end of the current
 * suppression, and for "too few" rules the start of the open window. A Flink POJO, kept in keyed state.
 */
public final class WindowState {
    public static final long NONE = Long.MIN_VALUE;

    /** Fingerprint of the rule definition the entries were counted under. */
    public String fingerprint;
    /** The group values of this state's key (as the rule's group_by fields rendered them). */
    public String[] group;
    /** Entries sorted by time (stable for equal times). */
    public List<WindowEntry> entries = new ArrayList<>();
    /** Anchors before this time do not fire (one alert per burst). */
    public long suppressedUntil = NONE;
    /** Window-end mode: start of the window whose end timer is pending, or NONE. */
    public long openWindowStart = NONE;
    /** Cache of the newest window's distinct values (value_count); not checkpointed, rebuilt when missing. */
    transient DistinctCounts distinct;

    public boolean isEmpty() {
        return entries.isEmpty() && openWindowStart == NONE;
    }
}
