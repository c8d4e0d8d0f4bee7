package io.trailguard.job.serde;

import io.trailguard.rules.aggregate.Interner;

/**
 * Shares the rate-rule keys a restore reads twice: the heap state backend reads each key once for its state map and
 * once more for the key's timer, and without sharing a restored key holds two equal {@code String}s where a counted
 * one holds one. Both reads run on the task's thread, one key group at a time (its states, then its timers), so a
 * bounded table per thread that remembers the keys read last finds most of them again: {@link #SLOTS} slots,
 * direct-mapped (a key that falls in a slot taken since its first read is not shared, which costs heap, never
 * correctness: an equal key is returned in every case). The operator drops its thread's table once the restore is
 * over ({@link #forget()}, in {@code open}); a thread that reads keys later (a backend that reads keys while it
 * runs) gets a new table, bounded the same way.
 */
public final class RestoredKeys {
    /**
     * Slots of a thread's table: a megabyte of references while a restore runs; at 1,000,000 keys in 128 key groups
     * about 3 % of the keys are read again after their slot was taken.
     */
    static final int SLOTS = 1 << 18;

    private static final ThreadLocal<Interner> TABLE = new ThreadLocal<>();

    private RestoredKeys() {}

    /** The key equal to {@code key} read last on this thread, or {@code key} itself (then remembered). */
    static String intern(String key) {
        Interner t = TABLE.get();
        if (t == null) {
            t = new Interner(SLOTS);
            TABLE.set(t);
        }
        return t.intern(key);
    }

    /** Drops this thread's table (the keys read so far are no longer shared with keys read later). */
    public static void forget() {
        TABLE.remove();
    }
}
