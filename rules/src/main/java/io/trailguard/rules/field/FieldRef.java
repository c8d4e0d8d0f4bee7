package io.trailguard.rules.field;

/** A compiled reference to a field: the field and its slot in the per-event value cache. */
public final class FieldRef {
    private final int slot;
    private final Field field;

    public FieldRef(int slot, Field field) {
        this.slot = slot;
        this.field = field;
    }

    public int slot() {
        return slot;
    }

    public Field field() {
        return field;
    }

    public String name() {
        return field.name();
    }
}
