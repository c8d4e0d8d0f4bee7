package io.trailguard.rules.field;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Gives each distinct field of a rule set one cache slot, so identical fields are shared across rules. */
public final class FieldTable {
    private final Map<String, FieldRef> refs = new HashMap<>();

    public FieldRef ref(String canonicalName, Supplier<Field> factory) {
        FieldRef ref = refs.get(canonicalName);
        if (ref == null) {
            ref = new FieldRef(refs.size(), factory.get());
            refs.put(canonicalName, ref);
        }
        return ref;
    }

    public int size() {
        return refs.size();
    }
}
