package io.trailguard.rules.condition;

import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.ExprVisitor;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.condition.ast.MacroRef;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;
import io.trailguard.rules.field.ConstantField;
import io.trailguard.rules.field.Field;
import io.trailguard.rules.field.FieldList;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.FieldRegistry;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.field.Transformers;
import io.trailguard.rules.field.UnknownFieldException;
import io.trailguard.rules.field.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a condition AST whose macros are already expanded into a predicate tree, resolving every field
 * once through the rule set's {@link FieldTable}. Operator/field-type mismatches are load errors.
 *
 * <p>Comparisons are interned by structure (field, operator, modifier, value or values): every rule of the set
 * that holds the same {@code field op value} shares one predicate object, which evaluates once per event
 * ({@link Conditions#memoised}), so a regex, glob or substring search that many rules contain runs once. The
 * nodes above them ({@code and}, {@code or}, {@code not}, {@code exists}) are interned by their children: rules
 * with the same sub-condition hold one node (a pure function of the event), so evaluating many rules' conditions
 * touches fewer objects.
 */
public final class ConditionCompiler implements ExprVisitor<Condition> {
    private static final Set<String> NUMERIC_OPS = Set.of("=", "==", "!=", "<", "<=", ">", ">=", "in", "intersects");

    private final FieldTable fields;
    private final Map<List<Object>, Condition> comparisons = new HashMap<>();
    /** The interned {@code and}/{@code or}/{@code not}/{@code exists} nodes, by kind and children (identity). */
    private final Map<List<Object>, Condition> nodes = new HashMap<>();

    public ConditionCompiler(FieldTable fields) {
        this.fields = fields;
    }

    public Condition compile(Expr expr) {
        return expr.accept(this);
    }

    /** Resolves a (possibly transformed) field expression to a cached field reference. */
    public FieldRef field(FieldExpr f) {
        try {
            return fields.ref(f.text(), () -> resolve(f));
        } catch (UnknownFieldException e) {
            throw new ConditionSyntaxException(e.getMessage(), f.offset(), true);
        }
    }

    private static Field resolve(FieldExpr f) {
        switch (f.kind()) {
            case TRANSFORM: {
                List<Field> args = new ArrayList<>();
                for (FieldExpr a : f.args()) {
                    args.add(resolve(a));
                }
                return Transformers.of(f.text(), f.transformer(), args, f.arg());
            }
            case LIST: {
                List<Field> elements = new ArrayList<>();
                for (FieldExpr a : f.args()) {
                    elements.add(resolve(a));
                }
                return new FieldList(f.text(), elements);
            }
            case LITERAL:
                return new ConstantField(f.text(), f.name());
            default:
                return FieldRegistry.resolve(f.name(), f.arg());
        }
    }

    @Override
    public Condition visitAnd(AndExpr e) {
        List<Condition> c = new ArrayList<>();
        for (Expr x : e.children()) {
            c.add(x.accept(this));
        }
        return node("and", c, () -> Conditions.and(c));
    }

    @Override
    public Condition visitOr(OrExpr e) {
        List<Condition> c = new ArrayList<>();
        for (Expr x : e.children()) {
            c.add(x.accept(this));
        }
        return node("or", c, () -> Conditions.or(c));
    }

    @Override
    public Condition visitNot(NotExpr e) {
        Condition child = e.child().accept(this);
        return node("not", List.of(child), () -> Conditions.not(child));
    }

    /**
     * The one node of {@code kind} over {@code children}: children are interned nodes or comparisons (no node
     * overrides equals, so the key compares them by identity).
     */
    private Condition node(String kind, List<?> children, java.util.function.Supplier<Condition> make) {
        List<Object> key = new ArrayList<>(children.size() + 1);
        key.add(kind);
        key.addAll(children);
        Condition known = nodes.get(key);
        if (known == null) {
            known = make.get();
            nodes.put(key, known);
        }
        return known;
    }

    @Override
    public Condition visitMacro(MacroRef e) {
        throw new ConditionSyntaxException("Undefined macro '" + e.name() + "' used in filter.", e.offset());
    }

    @Override
    public Condition visitCheck(CheckExpr c) {
        FieldRef ref = field(c.field());
        String op = c.operator();
        if (op.equals("exists")) {
            return node("exists", List.of(ref.slot()), () -> Conditions.exists(ref));
        }
        try {
            if (c.valueField() != null) {
                if (op.equals("regex") || op.equals("pmatch")) {
                    throw new IllegalArgumentException("operator '" + op + "' cannot take a field (val()) on the right");
                }
                return Conditions.compareFields(ref, op, field(c.valueField()));
            }
            return comparison(ref, c);
        } catch (IllegalArgumentException e) {
            throw new ConditionSyntaxException(e.getMessage() + " (in '" + c + "')", c.offset());
        }
    }

    /** The interned predicate of {@code ref op value}: compiled on first sight, shared afterwards. */
    private Condition comparison(FieldRef ref, CheckExpr c) {
        List<Object> key = Arrays.asList(ref.slot(), c.operator(), c.modifier(), c.value(), c.values());
        Condition known = comparisons.get(key);
        if (known == null) {
            known = Conditions.memoised(fields.resultSlot(), Conditions.compare(ref, valueTest(ref.field(), c)));
            comparisons.put(key, known);
        }
        return known;
    }

    private static ValueTest valueTest(Field field, CheckExpr c) {
        String op = c.operator();
        // libs refuses a NUL byte in a value for any string field (filter_compiler test filter_nul_byte_value);
        // CloudTrail has no byte-buffer fields, the only kind that may hold one
        if ((c.value() != null && c.value().indexOf('\0') >= 0)
                || (c.values() != null && c.values().stream().anyMatch(v -> v.indexOf('\0') >= 0))) {
            throw new IllegalArgumentException("a string value cannot contain a NUL byte (\\x00)");
        }
        boolean listOp = op.equals("in") || op.equals("intersects") || op.equals("pmatch");
        if (field.type() == ValueType.NUMBER) {
            return numberTest(field, c);
        }
        StringTest test;
        if (c.modifier() != null) {
            test = StringTests.modified(op, c.modifier(), c.values());
        } else if (listOp) {
            test = StringTests.list(op, c.values());
        } else {
            test = StringTests.single(op, c.value());
        }
        if (field.type() == ValueType.STRING) {
            final StringTest t = test;
            return v -> t.test((String) v);
        }
        // multi-valued field: 'in' needs every value in the set, everything else any value
        final StringTest t = test;
        if (op.equals("in")) {
            return v -> {
                for (String s : Conditions.castList(v)) {
                    if (!t.test(s)) {
                        return false;
                    }
                }
                return true;
            };
        }
        return v -> {
            for (String s : Conditions.castList(v)) {
                if (t.test(s)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static ValueTest numberTest(Field field, CheckExpr c) {
        String op = c.operator();
        if (!NUMERIC_OPS.contains(op) || c.modifier() != null) {
            throw new IllegalArgumentException("operator '" + op + (c.modifier() != null ? " " + c.modifier() : "")
                    + "' does not apply to numeric field '" + field.name() + "'");
        }
        if (op.equals("in") || op.equals("intersects")) {
            Set<Long> set = new HashSet<>();
            for (String s : c.values()) {
                set.add(parseNumber(s, field));
            }
            return v -> set.contains((Long) v);
        }
        final long n = parseNumber(c.value(), field);
        switch (op) {
            case "=":
            case "==":
                return v -> (Long) v == n;
            case "!=":
                return v -> (Long) v != n;
            case "<":
                return v -> (Long) v < n;
            case "<=":
                return v -> (Long) v <= n;
            case ">":
                return v -> (Long) v > n;
            default:
                return v -> (Long) v >= n;
        }
    }

    static long parseNumber(String s, Field field) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                return (long) Double.parseDouble(s);
            }
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number, but field '" + field.name()
                    + "' is numeric");
        }
    }
}
