package io.trailguard.job.serde;

import java.util.Arrays;

/**
 * Shares the rate-rule keys a restore reads twice: the heap state backend reads each key once for its state map and
 * once more for the key's timer, and without sharing a restored key holds two equal {@code String}s where a counted
 * one holds one. A restore runs on its task's own thread, before the operator opens: keys read on a thread are
 * shared through a table of that thread until the operator, opening, calls {@link #finished()}; from then on keys read
 * on that thread are returned as read (a backend that reads keys while the job runs, RocksDB, keeps no table).
 *
 * <p>The table is an open-addressing set of the keys read so far (8 to 16 bytes per key while the restore runs, none
 * after). It grows up to {@link #MAX_SLOTS}; a restore of more keys than half that starts the table over when it is
 * full, which can leave a key read before and after that point held twice (heap, never correctness: an equal key is
 * returned in every case).
 */
public final class RestoredKeys {
    /** The largest table: 16 MiB of references, every key shared in a restore of up to 2,097,152 keys per task. */
    static final int MAX_SLOTS = 1 << 22;
    private static final int FIRST_SLOTS = 1 << 10;

    /** This thread's table; {@link #DONE} once its restore is over. */
    private static final ThreadLocal<Object> TABLE = new ThreadLocal<>();
    private static final Object DONE = new Object();

    private String[] slots = new String[FIRST_SLOTS];
    private int size;

    private RestoredKeys() {}

    /** The key equal to {@code key} read before on this thread's restore, or {@code key} itself (then remembered). */
    static String intern(String key) {
        Object t = TABLE.get();
        if (t == DONE) {
            return key;
        }
        if (t == null) {
            t = new RestoredKeys();
            TABLE.set(t);
        }
        return ((RestoredKeys) t).share(key);
    }

    /** This thread's restore is over: its table is dropped, and keys it reads from now on are not shared. */
    public static void finished() {
        TABLE.set(DONE);
    }

    private String share(String key) {
        int mask = slots.length - 1;
        int i = spread(key.hashCode()) & mask;
        for (String s; (s = slots[i]) != null; i = (i + 1) & mask) {
            if (s.equals(key)) {
                return s;
            }
        }
        if (size + 1 > slots.length >> 1) {
            if (slots.length >= MAX_SLOTS) {
                Arrays.fill(slots, null);
                size = 0;
            } else {
                String[] old = slots;
                slots = new String[old.length << 1];
                size = 0;
                for (String s : old) {
                    if (s != null) {
                        put(s);
                    }
                }
            }
        }
        put(key);
        return key;
    }

    private void put(String key) {
        int mask = slots.length - 1;
        int i = spread(key.hashCode()) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = key;
        size++;
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
