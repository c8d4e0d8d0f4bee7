package io.trailguard.rules.loader;

import io.trailguard.rules.source.Position;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule exception. Tuple form: {@code fields: [f1, f2]}, {@code comps: [op1, op2]} (default '='), and values
 * that are tuples whose items are strings or lists. Single-field form: {@code fields: f}, {@code comps: op}
 * (default 'in') and values that are strings (list names allowed).
 */
final class ExceptionDef {
    final String name;
    final boolean singleField;
    final List<String> fields;
    final List<String> comps;
    /** Tuple form: each value is a List of (String or List of String). Single form: each value is a String. */
    final List<Object> values;
    final Position position;

    ExceptionDef(String name, boolean singleField, List<String> fields, List<String> comps, List<Object> values,
                 Position position) {
        this.name = name;
        this.singleField = singleField;
        this.fields = fields;
        this.comps = comps;
        this.values = new ArrayList<>(values);
        this.position = position;
    }
}
