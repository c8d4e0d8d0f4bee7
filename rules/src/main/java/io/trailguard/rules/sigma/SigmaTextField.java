package io.trailguard.rules.sigma;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.StringField;

/**
 * A Sigma field path printed in alerts, grouped by or measured by a correlation: the {@link SigmaPathField}
 * values as one string. One value prints as its text; several (a path crossing an array) as {@code (a,b)} like
 * Falco lists; a missing field, an empty array or a JSON null is absent (so an event without a group-by field
 * does not count in a correlation). Cached under {@code sigma.text:<path>}.
 */
final class SigmaTextField extends StringField {
    private final SigmaPathField path;

    /** @param name the name printed in output_fields (the path, or a correlation's group-by alias) */
    SigmaTextField(String name, String path) {
        super(name);
        this.path = new SigmaPathField(path);
    }

    static String canonicalName(String name, String path) {
        return name.equals(path) ? "sigma.text:" + path : "sigma.text:" + name + "=" + path;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        SigmaValues v = (SigmaValues) path.extract(event);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() == 1) {
            return v.get(0);
        }
        StringBuilder sb = new StringBuilder("(");
        boolean first = true;
        for (String s : v) {
            if (s == null) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(s);
        }
        return first ? null : sb.append(')').toString();
    }
}
