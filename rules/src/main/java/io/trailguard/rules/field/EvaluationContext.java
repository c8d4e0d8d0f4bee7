package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

/**
 * The event under evaluation plus a cache of the field values extracted from it, so that each field is
 * extracted at most once per event however many rules read it. One context is reused for every event a thread
 * evaluates: a generation stamp invalidates the cache without clearing it.
 */
public final class EvaluationContext implements ValueLookup {
    private CloudTrailEvent event;
    private Object[] values;
    private int[] stamps;
    private int generation;

    public EvaluationContext(int slots) {
        this.values = new Object[Math.max(slots, 1)];
        this.stamps = new int[values.length];
    }

    /** Starts evaluating a new event. */
    public EvaluationContext reset(CloudTrailEvent newEvent) {
        this.event = newEvent;
        if (++generation == 0) {
            java.util.Arrays.fill(stamps, 0);
            generation = 1;
        }
        return this;
    }

    public CloudTrailEvent event() {
        return event;
    }

    /** The value of a field (see {@link Field#extract}), extracted on first use. */
    @Override
    public Object value(FieldRef ref) {
        int slot = ref.slot();
        if (slot >= values.length) {
            grow(slot + 1);
        }
        if (stamps[slot] == generation) {
            return values[slot];
        }
        Object v = ref.field().extract(event);
        values[slot] = v;
        stamps[slot] = generation;
        return v;
    }

    /**
     * What was kept in {@code slot} for this event ({@link #keep}), or null when nothing was yet. Work whose result
     * depends only on the event is kept here so that rules sharing it do it once per event: a predicate's result
     * (the same field, operator and value in several rules), an output rendered from the same template.
     */
    public Object kept(int slot) {
        if (slot >= values.length) {
            grow(slot + 1);
        }
        return stamps[slot] == generation ? values[slot] : null;
    }

    /** Keeps {@code value} (not null) in {@code slot} for this event and returns it. */
    public <T> T keep(int slot, T value) {
        if (slot >= values.length) {
            grow(slot + 1);
        }
        values[slot] = value;
        stamps[slot] = generation;
        return value;
    }

    private void grow(int size) {
        int n = Math.max(size, values.length * 2);
        values = java.util.Arrays.copyOf(values, n);
        stamps = java.util.Arrays.copyOf(stamps, n);
    }
}
