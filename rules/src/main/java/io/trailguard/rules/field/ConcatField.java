package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

import java.util.List;

/**
 * libs' {@code concat(a, b, ...)}: its string arguments one after the other; absent when any of them is absent.
 * Argument types are checked by {@link Transformers}.
 */
final class ConcatField extends StringField {
    private final List<Field> parts;

    ConcatField(String name, List<Field> parts) {
        super(name);
        this.parts = List.copyOf(parts);
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        StringBuilder sb = new StringBuilder();
        for (Field f : parts) {
            Object v = f.extract(event);
            if (v == null) {
                return null;
            }
            sb.append(v);
        }
        return sb.toString();
    }
}
