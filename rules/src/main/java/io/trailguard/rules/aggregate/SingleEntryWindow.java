package io.trailguard.rules.aggregate;

/**
 * A group's window that holds one entry and nothing else (no suppression, open window or firing): the entry itself
 * with the rule fingerprint, one object where a {@link WindowState} takes three (the state, its entry array and the
 * entry). Most groups of a rate rule see one event in their window, so this is how most groups are kept in keyed
 * state; {@link StoredWindow} converts between the two forms. It is the window's entry too: a state opened from it
 * holds this object as entry 0.
 */
public final class SingleEntryWindow extends WindowEntry {
    /** {@link WindowState#fingerprint} of the state this stands for. */
    public final long fingerprint;

    SingleEntryWindow(WindowEntry entry, long fingerprint) {
        super(entry);
        this.fingerprint = fingerprint;
    }
}
