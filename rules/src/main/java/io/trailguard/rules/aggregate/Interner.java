package io.trailguard.rules.aggregate;

import java.util.Arrays;

/**
 * A small, bounded cache that lets rate-rule state share equal values instead of holding a copy per counted event:
 * every signal arrives with freshly deserialized strings, while accounts, regions, user agents, user names and
 * measured values repeat across events and groups. Direct-mapped (one slot per hash bucket, a new value replaces the
 * old one), so a lookup is one hash and one {@code equals}, memory is bounded ({@link #MAX_LENGTH} characters per
 * retained string), and values that do not repeat cost nothing beyond the lookup. Not thread-safe: one per operator
 * instance. Returns an equal value in every case, so interning never changes what is stored, only how often.
 */
public final class Interner {
    /** Longer strings are not interned (they are kept as they come). */
    public static final int MAX_LENGTH = 256;
    /**
     * Slots of the rate-rule operator's interner: 4096 strings and 1024 arrays, so it retains at most 4096 strings
     * and 1024 arrays of strings of up to {@link #MAX_LENGTH} characters each (a few MiB in the worst case, usually
     * far less), plus 20 KiB of tables.
     */
    public static final int DEFAULT_SLOTS = 4096;

    private final String[] strings;
    private final String[][] tuples;

    /** @param slots number of strings remembered (a quarter as many arrays), rounded up to a power of two */
    public Interner(int slots) {
        int n = Integer.highestOneBit(Math.max(4, slots) - 1) << 1;
        strings = new String[n];
        tuples = new String[n / 4][];
    }

    /** The retained string equal to {@code s}, or {@code s} itself (then retained). Null stays null. */
    public String intern(String s) {
        if (s == null || s.length() > MAX_LENGTH) {
            return s;
        }
        int i = spread(s.hashCode()) & (strings.length - 1);
        String c = strings[i];
        if (c != null && c.equals(s)) {
            return c;
        }
        strings[i] = s;
        return s;
    }

    /**
     * The retained array equal to {@code t} (element by element), or {@code t} itself (then retained): arrays are
     * shared between entries, so callers must never modify an array after passing it here. Elements should already
     * be interned (the lookup compares them with {@code equals} and keeps the retained array's elements).
     */
    public String[] intern(String[] t) {
        if (t == null || t.length == 0) {
            return t;
        }
        for (String s : t) {
            if (s != null && s.length() > MAX_LENGTH) {
                return t;
            }
        }
        int i = spread(Arrays.hashCode(t)) & (tuples.length - 1);
        String[] c = tuples[i];
        if (c != null && Arrays.equals(c, t)) {
            return c;
        }
        tuples[i] = t;
        return t;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
