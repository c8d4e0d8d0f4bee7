package io.trailguard.rules.text;

import com.google.re2j.Pattern;

/**
 * A faster equivalent of a full match of {@code .*(INNER).*} with DOTALL: such a match holds exactly when INNER
 * matches somewhere in the text, and when INNER begins with a literal run, only where that literal occurs. So the
 * text is searched for the literal with {@link String#indexOf(String, int)} and INNER is tried anchored at each
 * occurrence (RE2 stops as soon as no thread is alive), instead of running the NFA over the whole text.
 *
 * <p>Only a shape that is provably equivalent is accepted: the whole INNER is one group with no top-level
 * alternation, its first characters are a literal run of at least three characters not followed by a quantifier,
 * and it holds no assertion whose answer depends on where the text starts ({@code ^ $ \b \B \A \z}).
 */
public final class LiteralSearch {
    private static final int MIN_LITERAL = 3;
    private static final String META = "\\[](){}.*+?^$|";

    private final String literal;
    private final Pattern inner;

    private LiteralSearch(String literal, Pattern inner) {
        this.literal = literal;
        this.inner = inner;
    }

    /** The search for a case-sensitive DOTALL full-match {@code regex}, or null when its shape is not accepted. */
    public static LiteralSearch of(String regex) {
        int n = regex.length();
        if (n < 6 || !regex.startsWith(".*(") || !regex.endsWith(").*")) {
            return null;
        }
        String group = regex.substring(2, n - 2);
        if (closingParen(group, 0) != group.length() - 1) {
            return null; // INNER is not one group: .*(a)|(b).* and the like
        }
        String body = group.substring(1, group.length() - 1);
        if (body.startsWith("?") || hasTopLevelBar(body) || body.indexOf('^') >= 0 || body.indexOf('$') >= 0) {
            return null;
        }
        for (String assertion : new String[] {"\\b", "\\B", "\\A", "\\z"}) {
            if (body.contains(assertion)) {
                return null;
            }
        }
        int run = 0;
        while (run < body.length() && META.indexOf(body.charAt(run)) < 0 && !Character.isSurrogate(body.charAt(run))) {
            run++;
        }
        if (run < body.length() && "*+?{".indexOf(body.charAt(run)) >= 0) {
            run--; // the last character is quantified: not required
        }
        if (run < MIN_LITERAL) {
            return null;
        }
        return new LiteralSearch(body.substring(0, run), Pattern.compile(body, Pattern.DOTALL));
    }

    /** True exactly when {@code .*(INNER).*} matches the whole of {@code text}. */
    public boolean matches(String text) {
        int at = text.indexOf(literal);
        while (at >= 0) {
            if (inner.matcher(new Tail(text, at)).lookingAt()) {
                return true;
            }
            at = text.indexOf(literal, at + 1);
        }
        return false;
    }

    /** Index of the ')' closing the '(' at {@code open}, or -1; escapes and classes are skipped. */
    private static int closingParen(String re, int open) {
        int depth = 0;
        for (int i = open; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(re, i);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasTopLevelBar(String re) {
        int depth = 0;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(re, i);
                if (i < 0) {
                    return true;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return true;
            }
        }
        return false;
    }

    /** Index of the ']' closing the class opened at {@code open} (a leading ']' or '^]' is a member), or -1. */
    private static int classEnd(String re, int open) {
        int i = open + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            i++;
        }
        for (; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
                int end = re.indexOf(":]", i + 2);
                if (end < 0) {
                    return -1;
                }
                i = end + 1;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    /** The text from {@code start} on, without a copy. */
    private static final class Tail implements CharSequence {
        private final String text;
        private final int start;

        Tail(String text, int start) {
            this.text = text;
            this.start = start;
        }

        @Override
        public int length() {
            return text.length() - start;
        }

        @Override
        public char charAt(int index) {
            return text.charAt(start + index);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return text.substring(start + from, start + to);
        }

        @Override
        public String toString() {
            return text.substring(start);
        }
    }
}
