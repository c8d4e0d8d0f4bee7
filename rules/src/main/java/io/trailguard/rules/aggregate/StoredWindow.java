package io.trailguard.rules.aggregate;

/**
 * The forms a group's window takes in keyed state: a {@link SingleEntryWindow} when it holds exactly one entry and
 * nothing else, else a {@link WindowState}. Callers open the stored form to count or evict ({@link #open}), then
 * store what {@link #of} gives back; both forms stand for the same state, so which one is kept never changes what
 * the window counts.
 */
public final class StoredWindow {
    private StoredWindow() {}

    /**
     * The form to store for {@code s}: a {@link SingleEntryWindow} when {@code s} holds one entry and nothing else
     * (the entry itself when it is one already, of the same rule), else {@code s}. The cached distinct values of a
     * state stored as a single entry are dropped (a transient cache, rebuilt when needed).
     */
    public static Object of(WindowState s) {
        if (s.size != 1 || s.suppressedUntil != WindowState.NONE || s.openWindowStart != WindowState.NONE
                || s.fired != null) {
            if (s.openedFromSingleEntry) {
                // a state kept whole holds plain entries: the single-entry form's fingerprint would be 8 bytes more
                for (int i = 0; i < s.size; i++) {
                    if (s.entries[i] instanceof SingleEntryWindow) {
                        s.entries[i] = new WindowEntry(s.entries[i]);
                    }
                }
                s.openedFromSingleEntry = false;
            }
            return s;
        }
        WindowEntry e = s.entry(0);
        if (e instanceof SingleEntryWindow && ((SingleEntryWindow) e).fingerprint == s.fingerprint) {
            return e;
        }
        return new SingleEntryWindow(e, s.fingerprint);
    }

    /**
     * A {@link WindowState} to work on for a stored form ({@code stored} itself when it is one; a new state holding
     * a {@link SingleEntryWindow} as its entry); null stays null.
     *
     * @throws IllegalArgumentException for any other object
     */
    public static WindowState open(Object stored) {
        if (stored == null || stored instanceof WindowState) {
            return (WindowState) stored;
        }
        if (stored instanceof SingleEntryWindow) {
            SingleEntryWindow one = (SingleEntryWindow) stored;
            WindowState s = new WindowState();
            s.fingerprint = one.fingerprint;
            s.insert(0, one);
            s.openedFromSingleEntry = true;
            return s;
        }
        throw new IllegalArgumentException("not a stored rate window: " + stored.getClass().getName());
    }

    /** Whether a stored form was counted under the rule definition whose {@code Rule.fingerprint()} is given. */
    public static boolean countedUnder(Object stored, String ruleFingerprint) {
        long f = stored instanceof SingleEntryWindow ? ((SingleEntryWindow) stored).fingerprint
                : ((WindowState) stored).fingerprint;
        return f == WindowState.fingerprintOf(ruleFingerprint);
    }
}
