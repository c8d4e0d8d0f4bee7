package io.trailguard.rules.aggregate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The state of one (rate rule, group) pair: its counted events in event-time order, the end of the current
 * suppression, and for "too few" rules the start of the open window. A Flink POJO, kept in keyed state, one per
 * active group, so it is small: the group values are not stored (they are the state's key, see
 * {@link Signal#groupOf(String)}), the rule fingerprint is a long, and the entries are an array (a Flink-serialized
 * POJO array, not a Kryo-serialized list) with room to grow beyond {@link #size}.
 */
public final class WindowState {
    public static final long NONE = Long.MIN_VALUE;
    private static final WindowEntry[] NO_ENTRIES = new WindowEntry[0];

    /** Fingerprint of the rule definition the entries were counted under ({@link #fingerprintOf}). */
    public long fingerprint;
    /** Entries [0, size) sorted by time (stable for equal times); slots from {@code size} on are null. */
    public WindowEntry[] entries = NO_ENTRIES;
    /** Number of entries. */
    public int size;
    /** Window-end mode: windows opened before this time do not fire (one alert per burst). */
    public long suppressedUntil = NONE;
    /**
     * On-arrival mode: where the bursts that fired start, ascending and at least a timespan apart; null when none.
     * An anchor at {@code a} is suppressed by a burst at {@code f <= a < f + timespan} (one alert per burst). A burst
     * moves to an earlier anchor of its own that qualifies late (see {@link RateWindow#add}), so every burst keeps
     * the start it has in event-time order and the next one is neither hidden nor doubled.
     */
    public long[] fired;
    /** Window-end mode: start of the window whose end timer is pending, or NONE. */
    public long openWindowStart = NONE;
    /** True when a firing at {@code f <= anchor < f + span} suppresses an anchor at {@code anchor}. */
    boolean suppresses(long anchor, long span) {
        if (fired != null) {
            for (long f : fired) {
                if (f <= anchor && anchor < f + span) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Index of a burst start {@code f} with {@code anchor < f < anchor + span}, or -1. */
    int firingAfter(long anchor, long span) {
        if (fired != null) {
            for (int i = 0; i < fired.length; i++) {
                if (anchor < fired[i] && fired[i] < anchor + span) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Moves burst {@code i} to start at {@code anchor}, earlier; the order holds, because {@code anchor} is not
     * within the span of the burst before.
     */
    void rebaseFiring(int i, long anchor) {
        fired[i] = anchor;
    }

    /** Records a firing at anchor time {@code t}. */
    void recordFiring(long t) {
        if (fired == null) {
            fired = new long[] {t};
            return;
        }
        long[] next = Arrays.copyOf(fired, fired.length + 1);
        int i = next.length - 1;
        while (i > 0 && next[i - 1] > t) {
            next[i] = next[i - 1];
            i--;
        }
        next[i] = t;
        fired = next;
    }

    /** Forgets the firings that can no longer suppress an anchor after {@code cutoff}. */
    void forgetFiringsThrough(long cutoff, long span) {
        if (fired == null) {
            return;
        }
        int keep = 0;
        while (keep < fired.length && fired[keep] + span <= cutoff + 1) {
            keep++;
        }
        fired = keep == fired.length ? null : keep == 0 ? fired : Arrays.copyOfRange(fired, keep, fired.length);
    }

    /** Cache of the newest window's distinct values (value_count); not checkpointed, rebuilt when missing. */
    transient DistinctCounts distinct;
    /**
     * Opened from a {@link SingleEntryWindow} (see {@link StoredWindow#open}), which may still be one of the entries;
     * not checkpointed.
     */
    transient boolean openedFromSingleEntry;

    /** The empty state of a group of the rule whose {@code Rule.fingerprint()} is given. */
    public static WindowState forRule(String ruleFingerprint) {
        WindowState s = new WindowState();
        s.fingerprint = fingerprintOf(ruleFingerprint);
        return s;
    }

    /** Whether this state was counted under the rule definition whose {@code Rule.fingerprint()} is given. */
    public boolean countedUnder(String ruleFingerprint) {
        return fingerprint == fingerprintOf(ruleFingerprint);
    }

    /**
     * A rule fingerprint as a long: the 16 hex digits of the rule compilers' fingerprints exactly; any other text
     * (never produced by the compilers) by the first 64 bits of its SHA-256.
     */
    public static long fingerprintOf(String ruleFingerprint) {
        if (ruleFingerprint.length() == 16) {
            long v = 0;
            int i = 0;
            for (; i < 16; i++) {
                char c = ruleFingerprint.charAt(i);
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d < 0) {
                    break;
                }
                v = v << 4 | d;
            }
            if (i == 16) {
                return v;
            }
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(ruleFingerprint.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isEmpty() {
        return size == 0 && openWindowStart == NONE;
    }

    /** Entry {@code i} (0 <= i < size). */
    public WindowEntry entry(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return entries[i];
    }

    /** Inserts at index {@code at} (0 <= at <= size), growing the array by one slot at first, then by half. */
    void insert(int at, WindowEntry e) {
        if (size == entries.length) {
            int capacity = size < 4 ? size + 1 : size + (size >> 1);
            entries = Arrays.copyOf(entries, capacity);
        }
        System.arraycopy(entries, at, entries, at + 1, size - at);
        entries[at] = e;
        size++;
    }

    /** Removes the first {@code n} entries; shrinks the array when three quarters of it would be empty. */
    void removeFirst(int n) {
        int left = size - n;
        if (entries.length > 4 && left <= entries.length / 4) {
            // slots from the old size on are null, and copyOfRange pads with nulls beyond the old array
            entries = left == 0 ? NO_ENTRIES : Arrays.copyOfRange(entries, n, n + left * 2);
        } else {
            System.arraycopy(entries, n, entries, 0, left);
            Arrays.fill(entries, left, size, null);
        }
        size = left;
    }
}
