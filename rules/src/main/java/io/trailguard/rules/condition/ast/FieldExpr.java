package io.trailguard.rules.condition.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A value-producing operand as libs' parser reads it: a field ({@code ct.user}, {@code json.value[/eventName]}), a
 * transformer call with its arguments and an optional field argument ({@code tolower(ct.user)},
 * {@code join("-", (ct.user, ct.name))}, {@code getopt(list, "t:")[t]}), and, only as a transformer's argument, a
 * literal (a quoted string or a number) or a transformer list {@code (a, b, ...)}.
 */
public final class FieldExpr {
    /** What the operand is. */
    public enum Kind { FIELD, TRANSFORM, LITERAL, LIST }

    private final Kind kind;
    private final String transformer; // TRANSFORM
    private final List<FieldExpr> args; // TRANSFORM arguments, LIST elements
    private final String name;        // FIELD name; LITERAL value
    private final String arg;         // FIELD or TRANSFORM field argument, or null
    private final int offset;

    private FieldExpr(Kind kind, String transformer, List<FieldExpr> args, String name, String arg, int offset) {
        this.kind = kind;
        this.transformer = transformer;
        this.args = args == null ? List.of() : List.copyOf(args);
        this.name = name;
        this.arg = arg;
        this.offset = offset;
    }

    public static FieldExpr field(String name, String arg, int offset) {
        return new FieldExpr(Kind.FIELD, null, null, name, arg, offset);
    }

    public static FieldExpr transform(String transformer, FieldExpr inner, int offset) {
        return new FieldExpr(Kind.TRANSFORM, transformer, List.of(inner), null, null, offset);
    }

    /** A transformer call with any number of arguments and an optional field argument ({@code getopt(...)[t]}). */
    public static FieldExpr transform(String transformer, List<FieldExpr> args, String arg, int offset) {
        return new FieldExpr(Kind.TRANSFORM, transformer, args, null, arg, offset);
    }

    /** A quoted string or number written as a transformer argument; {@code value} is unescaped. */
    public static FieldExpr literal(String value, int offset) {
        return new FieldExpr(Kind.LITERAL, null, null, value, null, offset);
    }

    /** A transformer list {@code (a, b, ...)}, possibly empty. */
    public static FieldExpr list(List<FieldExpr> elements, int offset) {
        return new FieldExpr(Kind.LIST, null, elements, null, null, offset);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransformed() {
        return kind == Kind.TRANSFORM;
    }

    public String transformer() {
        return transformer;
    }

    /** The first argument of a transformer (the only one of a single-value transformer). */
    public FieldExpr inner() {
        return args.get(0);
    }

    /** A transformer's arguments or a list's elements. */
    public List<FieldExpr> args() {
        return args;
    }

    /** A field's name, or a literal's value. */
    public String name() {
        return name;
    }

    public String arg() {
        return arg;
    }

    public int offset() {
        return offset;
    }

    /** The plain fields this operand reads, left to right. */
    public List<FieldExpr> fields() {
        if (kind == Kind.FIELD) {
            return List.of(this);
        }
        return args.stream().flatMap(a -> a.fields().stream()).collect(Collectors.toList());
    }

    /** Canonical text, used as the output_fields key and the evaluation cache key. */
    public String text() {
        switch (kind) {
            case TRANSFORM:
                return transformer + "(" + joined() + ")" + (arg == null ? "" : "[" + arg + "]");
            case LIST:
                return "(" + joined() + ")";
            case LITERAL:
                return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            default:
                return arg == null ? name : name + "[" + arg + "]";
        }
    }

    private String joined() {
        return args.stream().map(FieldExpr::text).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return text();
    }
}
