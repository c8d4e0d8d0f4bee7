package io.trailguard.rules.field;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gives each distinct field of a rule set one cache slot, so identical fields are shared across rules, and each
 * shared predicate one slot for its per-event result ({@link #resultSlot()}); both live in the same
 * {@link EvaluationContext} cache.
 */
public final class FieldTable {
    private final Map<String, FieldRef> refs = new HashMap<>();
    private int slots;

    public FieldRef ref(String canonicalName, Supplier<Field> factory) {
        FieldRef ref = refs.get(canonicalName);
        if (ref == null) {
            ref = new FieldRef(slots++, factory.get());
            refs.put(canonicalName, ref);
        }
        return ref;
    }

    /** A fresh slot for the memoised result of one predicate (see {@link EvaluationContext#kept(int)}). */
    public int resultSlot() {
        return slots++;
    }

    /** The number of cache slots: fields and predicate results. */
    public int size() {
        return slots;
    }
}
