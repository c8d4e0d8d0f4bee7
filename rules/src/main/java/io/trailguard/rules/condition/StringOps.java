package io.trailguard.rules.condition;

import io.trailguard.rules.text.CaseInsensitive;

/** String operators whose right-hand side is only known at evaluation time ({@code val(field)}). */
final class StringOps {
    private StringOps() {}

    static boolean apply(String op, String v, String rhs) {
        switch (op) {
            case "=":
            case "==":
            case "in":
            case "intersects":
                return v.equals(rhs);
            case "!=":
                return !v.equals(rhs);
            case "contains":
                return v.contains(rhs);
            case "icontains":
                return CaseInsensitive.indexOf(v, rhs) >= 0;
            case "startswith":
                return v.startsWith(rhs);
            case "endswith":
                return v.endsWith(rhs);
            case "glob":
                return com.google.re2j.Pattern.compile(Glob.toRegex(rhs), com.google.re2j.Pattern.DOTALL).matches(v);
            case "iglob":
                return com.google.re2j.Pattern.compile(Glob.toRegex(rhs),
                        com.google.re2j.Pattern.DOTALL | com.google.re2j.Pattern.CASE_INSENSITIVE).matches(v);
            case "<":
                return v.compareTo(rhs) < 0;
            case "<=":
                return v.compareTo(rhs) <= 0;
            case ">":
                return v.compareTo(rhs) > 0;
            case ">=":
                return v.compareTo(rhs) >= 0;
            default:
                throw new IllegalStateException("operator " + op + " cannot compare two fields");
        }
    }

    static boolean compareNumbers(String op, long l, long r) {
        switch (op) {
            case "=":
            case "==":
            case "in":
            case "intersects":
                return l == r;
            case "!=":
                return l != r;
            case "<":
                return l < r;
            case "<=":
                return l <= r;
            case ">":
                return l > r;
            case ">=":
                return l >= r;
            default:
                return apply(op, Long.toString(l), Long.toString(r));
        }
    }
}
