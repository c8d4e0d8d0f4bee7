package io.trailguard.rules.loader;

import io.trailguard.rules.condition.ConditionParser;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.CheckWalker;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.FieldExpr;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The warnings libs' filter compiler gives about literal values ({@code filter.cpp check_value_and_add_warnings}):
 * a value that is a valid field name or a transformer call ("may be a valid field misused as a const string
 * value", usually a missing {@code val()}), and a {@code regex} whose pattern needs no regex (only anchors and a
 * leading or trailing {@code .*}, {@code .+}, {@code .?}); and Falco's engine warning about {@code <NA>} compared with
 * a field that renders absence as that text ({@code filter_warning_resolver.cpp}).
 */
final class ValueWarnings extends CheckWalker {
    private static final String REGEX_SPECIAL = ".+*?^$()[]{}|\\";
    private static final String REGEX_OCCURRENCE = "+*?";
    private static final List<String> TRANSFORMERS = List.of("tolower", "toupper", "b64", "basename", "len", "join",
            "concat", "getopt", "val");

    /** Falco's {@code filter_warning_resolver}: {@code <NA>} compared by equality with a ka.* or jevt.* field. */
    static final String UNSAFE_NA = "Comparing a field value with <NA> is unsafe and can lead to unpredictable "
            + "behavior of the rule condition. If you need to check for the existence of a field, consider using the "
            + "'exists' operator instead.";
    private static final String NO_VALUE = "<NA>";
    private static final Set<String> EQUALITY_OPS = Set.of("==", "=", "!=", "in", "intersects", "pmatch");

    private final Predicate<FieldExpr> isField;
    private final Set<String> messages = new LinkedHashSet<>();

    private ValueWarnings(Predicate<FieldExpr> isField) {
        this.isField = isField;
    }

    /** The warning texts for {@code e}, each once; {@code isField} says whether a parsed field is known. */
    static List<String> of(Expr e, Predicate<FieldExpr> isField) {
        ValueWarnings w = new ValueWarnings(isField);
        e.accept(w);
        return new ArrayList<>(w.messages);
    }

    @Override
    public Void visitCheck(CheckExpr e) {
        List<String> literals = new ArrayList<>();
        if (e.value() != null) {
            literals.add(e.value());
        }
        if (e.values() != null) {
            literals.addAll(e.values());
        }
        if (literals.contains(NO_VALUE) && EQUALITY_OPS.contains(e.operator()) && readsUnsafeField(e.field())) {
            messages.add(UNSAFE_NA);
        }
        for (String v : literals) {
            if (e.operator().equals("regex")) {
                regex(v);
            }
            String nospaces = v.replaceAll("\\s", "");
            if (namesField(nospaces)) {
                messages.add("'" + v + "' may be a valid field misused as a const string value");
            }
            for (String t : TRANSFORMERS) {
                if (nospaces.length() >= t.length() + 2 && nospaces.startsWith(t) && nospaces.charAt(t.length()) == '('
                        && nospaces.endsWith(")")) {
                    messages.add("'" + v + "' may be a valid field transformer misused as a const string value");
                }
            }
        }
        return null;
    }

    /**
     * Whether the left-hand side reads a field whose absence Falco renders as {@code <NA>} text (ka.*, jevt.*):
     * as Falco's resolver, the last field it visits decides, and fields inside a transformer list are not visited.
     */
    private static boolean readsUnsafeField(FieldExpr f) {
        String last = null;
        for (FieldExpr x : visited(f)) {
            last = x.name();
        }
        return last != null && (last.startsWith("ka.") || last.startsWith("jevt."));
    }

    private static List<FieldExpr> visited(FieldExpr f) {
        List<FieldExpr> out = new ArrayList<>();
        if (f.kind() == FieldExpr.Kind.FIELD) {
            out.add(f);
        } else if (f.kind() == FieldExpr.Kind.TRANSFORM) {
            for (FieldExpr a : f.args()) {
                out.addAll(visited(a));
            }
        }
        return out;
    }

    private boolean namesField(String s) {
        int[] end = new int[1];
        FieldExpr f;
        try {
            f = ConditionParser.fieldAt(s, 0, end);
        } catch (RuntimeException e) {
            return false;
        }
        return f != null && !f.isTransformed() && end[0] == s.length() && isField.test(f);
    }

    private void regex(String v) {
        int len = v.length();
        for (int i = 0; i < len; i++) {
            char c = v.charAt(i);
            if ((i == 0 && c == '^') || (i == len - 1 && c == '$')) {
                continue;
            }
            if (((i == 0 && len > 1) || i == len - 2) && c == '.' && i + 1 < len
                    && REGEX_OCCURRENCE.indexOf(v.charAt(i + 1)) >= 0) {
                i++;
                continue;
            }
            if (REGEX_SPECIAL.indexOf(c) >= 0) {
                return;
            }
        }
        messages.add("regex check with '" + v + "' may be optimized with simpler operators such as '=', "
                + "'contains', 'startswith', 'endswith'");
    }
}
