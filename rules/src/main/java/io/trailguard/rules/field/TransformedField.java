package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A field passed through one of Falco's transformers: {@code tolower}, {@code toupper}, {@code b64} (base64
 * decode; undecodable input is absent), {@code basename} (text after the last '/', "" when it ends with '/'),
 * {@code len} (characters of a string, or number of values of a list). A transformer applies to each value of
 * a multi-valued field.
 */
public final class TransformedField implements Field {
    private final String kind;
    private final Field inner;
    private final String name;

    public TransformedField(String kind, Field inner) {
        if (!kind.equals("tolower") && !kind.equals("toupper") && !kind.equals("b64") && !kind.equals("basename")
                && !kind.equals("len")) {
            throw new UnknownFieldException("unknown transformer '" + kind + "'");
        }
        if (inner.type() == ValueType.NUMBER) {
            // libs: len takes strings and lists of any type, the others strings and lists of strings
            throw new UnknownFieldException("transformer '" + kind + "' needs a string" + (kind.equals("len")
                    ? " or a list" : "") + ", but '" + inner.name() + "' is numeric");
        }
        this.kind = kind;
        this.inner = inner;
        this.name = kind + "(" + inner.name() + ")";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return kind.equals("len") ? ValueType.NUMBER : inner.type();
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        Object v = inner.extract(event);
        if (v == null) {
            return null;
        }
        if (kind.equals("len")) {
            if (v instanceof List) {
                return (long) ((List<?>) v).size();
            }
            String s = v.toString();
            return (long) s.codePointCount(0, s.length());
        }
        if (v instanceof List) {
            List<?> in = (List<?>) v;
            List<String> out = new ArrayList<>(in.size());
            for (Object o : in) {
                String t = apply((String) o);
                if (t != null) {
                    out.add(t);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return apply((String) v);
    }

    private String apply(String s) {
        switch (kind) {
            case "tolower":
                return s.toLowerCase(Locale.ROOT);
            case "toupper":
                return s.toUpperCase(Locale.ROOT);
            case "basename": {
                int slash = s.lastIndexOf('/');
                return slash < 0 ? s : s.substring(slash + 1);
            }
            default: // b64
                try {
                    return new String(Base64.getMimeDecoder().decode(s.trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
        }
    }
}
