package io.trailguard.rules.field;

/** Where an output format takes field values from: the event under evaluation, or a rate rule's window. */
@FunctionalInterface
public interface ValueLookup {
    /** The value of a field (see {@link Field#extract}), null when absent. */
    Object value(FieldRef ref);
}
