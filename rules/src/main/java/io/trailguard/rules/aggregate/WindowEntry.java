package io.trailguard.rules.aggregate;

import java.util.Comparator;

/**
 * One counted event inside a group's window. A Flink POJO, kept in keyed state: one per counted event and group,
 * so it stores each value once and small.
 *
 * <ul>
 *   <li>The event id: a canonical lowercase UUID (CloudTrail's eventID) as two longs, any other id as text;
 *       {@link #eventId()} gives it back as it came.</li>
 *   <li>Output values: an output value equal to one of the group values, the measured value, the account or the
 *       region is not stored again; {@link #outputFrom} says where it is (4 bits per output slot, the first
 *       {@link #CODED_SLOTS} slots) and {@link #outputValue(int, String[])} reads it back. The group values come
 *       from the state's key.</li>
 *   <li>Strings that repeat across events (the value, account, region, output values and the array of stored
 *       output values) are shared through an {@link Interner} when the entry is made from a signal.</li>
 * </ul>
 *
 * <p>Not final only for {@link SingleEntryWindow}, the stored form of a state holding just this entry; an entry is
 * never modified once counted.
 */
public class WindowEntry {
    /** Output slots that can point at another value instead of storing it (4 bits each in {@link #outputFrom}). */
    public static final int CODED_SLOTS = 8;
    /** {@link #outputFrom} code: the slot's value is in {@link #outputs}. */
    static final int STORED = 0;
    static final int FROM_VALUE = 1;
    static final int FROM_ACCOUNT = 2;
    static final int FROM_REGION = 3;
    /** Codes {@code FROM_GROUP + k}: group value {@code k} (k < 12). */
    static final int FROM_GROUP = 4;

    public long time;
    /** The event id as a canonical UUID (high and low 64 bits), when {@link #idText} is null and not both are 0. */
    public long idHigh;
    public long idLow;
    /** The event id when it is not a canonical lowercase UUID (null with idHigh = idLow = 0: the event had none). */
    public String idText;
    /** The value of the aggregate field (value_count, value_sum, value_avg, temporal steps); null for event_count. */
    public String value;
    /** The output values not found elsewhere (see {@link #outputFrom}); trailing nulls trimmed, null when none. */
    public String[] outputs;
    /** For output slot i (i < {@link #CODED_SLOTS}), bits 4i..4i+3: where its value is; 0 = in {@link #outputs}. */
    public int outputFrom;
    public String account;
    public String region;

    public WindowEntry() {}

    /** A copy of {@code from}'s fields (strings and the output array shared: they are never modified). */
    protected WindowEntry(WindowEntry from) {
        time = from.time;
        idHigh = from.idHigh;
        idLow = from.idLow;
        idText = from.idText;
        value = from.value;
        outputs = from.outputs;
        outputFrom = from.outputFrom;
        account = from.account;
        region = from.region;
    }

    /** An entry storing every output value as given (no interning, no references to the group). */
    public WindowEntry(long time, String eventId, String value, String[] outputValues, String account, String region) {
        this.time = time;
        setEventId(eventId);
        this.value = value;
        this.outputs = trim(outputValues == null ? null : outputValues.clone());
        this.account = account;
        this.region = region;
    }

    /** The entry a signal adds to its group's window, without sharing strings. */
    public static WindowEntry of(Signal s) {
        return of(s, null);
    }

    /**
     * The entry a signal adds to its group's window (what the rate-rule operator stores): output values equal to a
     * group value of the signal, its value, account or region are referenced, not stored; the rest and the
     * signal's value, account and region are shared through {@code interner} (may be null).
     */
    public static WindowEntry of(Signal s, Interner interner) {
        WindowEntry e = new WindowEntry();
        e.time = s.time;
        e.setEventId(s.eventId);
        e.value = intern(interner, s.value);
        e.account = intern(interner, s.account);
        e.region = intern(interner, s.region);
        String[] in = s.outputValues;
        if (in == null || in.length == 0) {
            return e;
        }
        String[] out = new String[in.length];
        int from = 0;
        for (int i = 0; i < in.length; i++) {
            String v = in[i];
            int code = v == null || i >= CODED_SLOTS ? STORED : codeOf(v, s);
            if (code == STORED) {
                out[i] = intern(interner, v);
            } else {
                from |= code << (4 * i);
            }
        }
        e.outputFrom = from;
        out = trim(out);
        e.outputs = interner == null ? out : interner.intern(out);
        return e;
    }

    private static int codeOf(String v, Signal s) {
        if (s.group != null) {
            for (int k = 0; k < s.group.length && FROM_GROUP + k <= 15; k++) {
                if (v.equals(s.group[k])) {
                    return FROM_GROUP + k;
                }
            }
        }
        if (v.equals(s.value)) {
            return FROM_VALUE;
        }
        if (v.equals(s.account)) {
            return FROM_ACCOUNT;
        }
        if (v.equals(s.region)) {
            return FROM_REGION;
        }
        return STORED;
    }

    /**
     * Output value {@code i} of the event (null when absent), as the signal carried it; {@code group} is the group of
     * the state this entry is in (the values of its key).
     */
    public String outputValue(int i, String[] group) {
        int code = i >= 0 && i < CODED_SLOTS ? (outputFrom >>> (4 * i)) & 15 : STORED;
        switch (code) {
            case STORED:
                return i < 0 || outputs == null || i >= outputs.length ? null : outputs[i];
            case FROM_VALUE:
                return value;
            case FROM_ACCOUNT:
                return account;
            case FROM_REGION:
                return region;
            default:
                int k = code - FROM_GROUP;
                if (group == null || k >= group.length) {
                    throw new IllegalStateException("output " + i + " refers to group value " + k + " of "
                            + (group == null ? "no group" : group.length + " group values"));
                }
                return group[k];
        }
    }

    /** The event's CloudTrail eventID as it came, or null when it had none. */
    public String eventId() {
        if (idText != null || (idHigh == 0 && idLow == 0)) {
            return idText;
        }
        char[] c = new char[36];
        hex(idHigh >>> 32, c, 0, 8);
        c[8] = '-';
        hex(idHigh >>> 16, c, 9, 4);
        c[13] = '-';
        hex(idHigh, c, 14, 4);
        c[18] = '-';
        hex(idLow >>> 48, c, 19, 4);
        c[23] = '-';
        hex(idLow, c, 24, 12);
        return new String(c);
    }

    /** Orders entries as their {@link #eventId()} strings order (an absent id as the empty string). */
    public static final Comparator<WindowEntry> BY_EVENT_ID = (a, b) -> {
        if (a.idText == null && b.idText == null && (a.idHigh | a.idLow) != 0 && (b.idHigh | b.idLow) != 0) {
            // canonical lowercase hex: string order is unsigned numeric order
            int c = Long.compareUnsigned(a.idHigh, b.idHigh);
            return c != 0 ? c : Long.compareUnsigned(a.idLow, b.idLow);
        }
        String x = a.eventId();
        String y = b.eventId();
        return (x == null ? "" : x).compareTo(y == null ? "" : y);
    };

    private void setEventId(String id) {
        idHigh = 0;
        idLow = 0;
        idText = id;
        if (id == null || id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-'
                || id.charAt(23) != '-') {
            return;
        }
        long hi = 0;
        long lo = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            char ch = id.charAt(i);
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
            if (d < 0) {
                return; // not canonical (upper case, other characters): kept as text
            }
            if (digits < 16) {
                hi = hi << 4 | d;
            } else {
                lo = lo << 4 | d;
            }
            digits++;
        }
        if (hi == 0 && lo == 0) {
            return; // the nil UUID stays text: 0/0 without text means "no id"
        }
        idHigh = hi;
        idLow = lo;
        idText = null;
    }

    private static void hex(long v, char[] out, int at, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (v & 15), 16);
            v >>>= 4;
        }
    }

    private static String intern(Interner interner, String s) {
        return interner == null ? s : interner.intern(s);
    }

    /** Drops trailing nulls; null when nothing is left. */
    private static String[] trim(String[] a) {
        if (a == null) {
            return null;
        }
        int n = a.length;
        while (n > 0 && a[n - 1] == null) {
            n--;
        }
        return n == 0 ? null : n == a.length ? a : java.util.Arrays.copyOf(a, n);
    }
}
