package io.trailguard.rules.loader;

import java.util.List;

/**
 * The condition text of a rule's exceptions, built as Falco builds it ({@code rule_loader_compiler.cpp
 * build_rule_exception_infos}) so that values mean what they mean in Falco: a value with a blank is quoted unless
 * it already starts with a quote (so pre-quoted values keep their own quoting), a scalar value under a list
 * operator or a modifier operator is parenthesised unless it already starts with '(' (so {@code (my_list)} is a
 * list reference), and anything else is condition text: {@code toupper(ct.srcip)} is a transformer, compared
 * with the field, not a literal. The text is parsed with the rule's lists like any condition.
 */
final class ExceptionConditions {
    private ExceptionConditions() {}

    /** The text one exception excludes, or null when it has no values (yet). */
    static String of(ExceptionDef x) {
        if (x.values.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (x.singleField) {
            sb.append('(').append(x.fields.get(0)).append(' ').append(x.comps.get(0)).append(" (");
            for (int i = 0; i < x.values.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(quote((String) x.values.get(i)));
            }
            return sb.append("))").toString();
        }
        sb.append('(');
        for (int t = 0; t < x.values.size(); t++) {
            List<?> tuple = (List<?>) x.values.get(t);
            sb.append(t == 0 ? "(" : " or (");
            for (int k = 0; k < x.fields.size(); k++) {
                String comp = x.comps.get(k);
                sb.append(k == 0 ? "" : " and ").append(' ').append(x.fields.get(k)).append(' ').append(comp)
                        .append(' ').append(value(tuple.get(k), comp));
            }
            sb.append(')');
        }
        return sb.append(')').toString();
    }

    private static String value(Object v, String comp) {
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder("(");
            List<?> items = (List<?>) v;
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(quote((String) items.get(i)));
            }
            return sb.append(')').toString();
        }
        String s = (String) v;
        if (ExceptionReader.takesList(comp)) {
            return s.startsWith("(") ? s : "(" + s + ")";
        }
        return quote(s);
    }

    private static String quote(String s) {
        if (s.indexOf(' ') >= 0 && !s.startsWith("\"") && !s.startsWith("'")) {
            return '"' + s + '"';
        }
        return s;
    }
}
