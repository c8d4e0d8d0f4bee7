package io.trailguard.rules.sigma;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.StringField;

import java.util.ArrayList;
import java.util.List;

/**
 * A value_count correlation counting distinct combinations of several fields ({@code field: [a, b]}): the texts
 * of the fields as one string {@code (a-value,b-value)}; absent when one of them is absent.
 */
final class SigmaTupleField extends StringField {
    private final List<SigmaTextField> parts = new ArrayList<>();

    SigmaTupleField(List<String> names, List<String> paths) {
        super(String.join(",", names));
        for (int i = 0; i < paths.size(); i++) {
            parts.add(new SigmaTextField(names.get(i), paths.get(i)));
        }
    }

    static String canonicalName(List<String> paths) {
        return "sigma.tuple:" + String.join("\u0000", paths);
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < parts.size(); i++) {
            Object v = parts.get(i).extract(event);
            if (v == null) {
                return null;
            }
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v);
        }
        return sb.append(')').toString();
    }
}
