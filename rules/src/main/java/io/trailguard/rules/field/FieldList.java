package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A transformer list {@code (a, b, ...)} as libs' {@code list_check} extracts it: the values of its elements in
 * order, a multi-valued element contributing each of its values and a number its decimal text; absent when any
 * element is absent. Its type is always {@link ValueType#LIST}.
 */
public final class FieldList implements Field {
    private final List<Field> elements;
    private final String name;

    public FieldList(String name, List<Field> elements) {
        this.name = name;
        this.elements = List.copyOf(elements);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        List<String> out = new ArrayList<>(elements.size());
        for (Field f : elements) {
            Object v = f.extract(event);
            if (v == null) {
                return null;
            }
            addTexts(out, v);
        }
        return out;
    }

    /** Adds the text of an extracted value (a String, a Long or a list of Strings) to {@code out}. */
    static void addTexts(List<String> out, Object v) {
        if (v instanceof List) {
            for (Object o : (List<?>) v) {
                out.add(o.toString());
            }
        } else if (v instanceof Long) {
            out.add(Long.toUnsignedString((Long) v));
        } else {
            out.add(v.toString());
        }
    }

    /** The single text of a value that is not a list (a String or a Long). */
    static String text(Object v) {
        return v instanceof Long ? Long.toUnsignedString((Long) v) : v.toString();
    }
}
