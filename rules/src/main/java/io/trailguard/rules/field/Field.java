package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

/**
 * A named value taken from an event. Implementations are immutable and thread-safe; anything costly (JSON
 * pointers, JSONPath) is compiled in the constructor, never during {@link #extract}.
 *
 * <p>{@link #extract} returns {@code null} when the field is absent (Falco: every comparison is then false and
 * output prints {@code <NA>}); otherwise a {@link String} for {@link ValueType#STRING}, a {@link Long} for
 * {@link ValueType#NUMBER}, or a non-null {@code List<String>} for {@link ValueType#LIST}.
 */
public interface Field {
    /** Canonical name as written in rules and used as the key in output_fields, e.g. {@code json.value[/eventName]}. */
    String name();

    ValueType type();

    Object extract(CloudTrailEvent event);
}
