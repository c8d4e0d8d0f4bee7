package io.trailguard.rules.condition.ast;

/**
 * A field reference, possibly wrapped in transformers: {@code ct.user}, {@code json.value[/eventName]},
 * {@code tolower(ct.user)}, {@code len(json.path[$..cidrIp])}.
 */
public final class FieldExpr {
    private final String transformer; // null for a plain field
    private final FieldExpr inner;    // the transformer's argument
    private final String name;        // plain field name
    private final String arg;         // plain field argument, or null
    private final int offset;

    private FieldExpr(String transformer, FieldExpr inner, String name, String arg, int offset) {
        this.transformer = transformer;
        this.inner = inner;
        this.name = name;
        this.arg = arg;
        this.offset = offset;
    }

    public static FieldExpr field(String name, String arg, int offset) {
        return new FieldExpr(null, null, name, arg, offset);
    }

    public static FieldExpr transform(String transformer, FieldExpr inner, int offset) {
        return new FieldExpr(transformer, inner, null, null, offset);
    }

    public boolean isTransformed() {
        return transformer != null;
    }

    public String transformer() {
        return transformer;
    }

    public FieldExpr inner() {
        return inner;
    }

    public String name() {
        return name;
    }

    public String arg() {
        return arg;
    }

    public int offset() {
        return offset;
    }

    /** Canonical text, used as the output_fields key and the evaluation cache key. */
    public String text() {
        if (transformer != null) {
            return transformer + "(" + inner.text() + ")";
        }
        return arg == null ? name : name + "[" + arg + "]";
    }

    @Override
    public String toString() {
        return text();
    }
}
