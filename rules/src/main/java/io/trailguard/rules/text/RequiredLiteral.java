package io.trailguard.rules.text;

/**
 * The longest run of literal characters every match of an RE2 regular expression must contain, found by a
 * conservative scan of the expression's top level: used as a {@link String#contains} pre-filter so that the
 * regex engine runs only on texts that can match. Returns null (no pre-filter) whenever the expression has a
 * top-level alternation, inline flags, {@code \Q...\E}, characters outside the BMP or anything it does not fully
 * understand; groups, classes, escapes of letters and quantified characters end a run and are never part of it.
 */
public final class RequiredLiteral {
    private static final int MIN_LENGTH = 3;

    private RequiredLiteral() {}

    /** The required literal of a case-sensitive expression, or null. */
    public static String of(String regex) {
        String best = "";
        StringBuilder run = new StringBuilder();
        int n = regex.length();
        int i = 0;
        while (i < n) {
            char c = regex.charAt(i);
            if (Character.isSurrogate(c)) {
                return null;
            }
            switch (c) {
                case '\\': {
                    if (i + 1 >= n) {
                        return null;
                    }
                    char e = regex.charAt(i + 1);
                    if (e == 'Q' || Character.isSurrogate(e) || (e >= '0' && e <= '9')) {
                        return null; // quoting, or an octal escape / backreference-like form: not analysed
                    }
                    if (e < 0x80 && !Character.isLetterOrDigit(e)) {
                        run.append(e); // escaped punctuation stands for itself
                        i += 2;
                    } else {
                        best = longer(best, run);
                        run.setLength(0);
                        i = skipEscape(regex, i);
                        if (i < 0) {
                            return null;
                        }
                    }
                    break;
                }
                case '(': {
                    if (i + 1 < n && regex.charAt(i + 1) == '?' && (i + 2 >= n || regex.charAt(i + 2) != ':')) {
                        return null; // inline flags or named groups: not analysed
                    }
                    best = longer(best, run);
                    run.setLength(0);
                    i = skipGroup(regex, i);
                    if (i < 0) {
                        return null;
                    }
                    break;
                }
                case '[': {
                    best = longer(best, run);
                    run.setLength(0);
                    i = skipClass(regex, i);
                    if (i < 0) {
                        return null;
                    }
                    break;
                }
                case '|':
                case ')':
                    return null;
                case '*':
                case '?':
                    dropLast(run); // the quantified character may be absent
                    best = longer(best, run);
                    run.setLength(0);
                    i++;
                    break;
                case '+':
                    best = longer(best, run); // present at least once, but may repeat: the run ends here
                    run.setLength(0);
                    i++;
                    break;
                case '{': {
                    int close = regex.indexOf('}', i);
                    if (close < 0 || !regex.substring(i + 1, close).matches("\\d+(,\\d*)?")) {
                        return null; // RE2 would read it as a literal '{'; not worth analysing
                    }
                    boolean optional = regex.substring(i + 1, close).matches("0+(,\\d*)?");
                    if (optional) {
                        dropLast(run);
                    }
                    best = longer(best, run);
                    run.setLength(0);
                    i = close + 1;
                    break;
                }
                case '.':
                case '^':
                case '$':
                    best = longer(best, run);
                    run.setLength(0);
                    i++;
                    break;
                default:
                    run.append(c);
                    i++;
            }
        }
        best = longer(best, run);
        return best.length() >= MIN_LENGTH ? best : null;
    }

    private static void dropLast(StringBuilder run) {
        if (run.length() > 0) {
            run.setLength(run.length() - 1);
        }
    }

    private static String longer(String best, StringBuilder run) {
        return run.length() > best.length() ? run.toString() : best;
    }

    /** Index after an escape of a letter or digit starting at {@code i} ({@code \x{..}}, {@code \p{..}} included). */
    private static int skipEscape(String re, int i) {
        char e = re.charAt(i + 1);
        if ((e == 'x' || e == 'p' || e == 'P') && i + 2 < re.length() && re.charAt(i + 2) == '{') {
            int close = re.indexOf('}', i + 2);
            return close < 0 ? -1 : close + 1;
        }
        if (e == 'x') {
            return i + 4 <= re.length() ? i + 4 : -1;
        }
        if ((e == 'p' || e == 'P')) {
            return i + 3 <= re.length() ? i + 3 : -1;
        }
        return i + 2;
    }

    /** Index after the group opened at {@code open}, or -1 when it does not close. */
    private static int skipGroup(String re, int open) {
        int depth = 0;
        int i = open;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                i = skipClass(re, i);
                if (i < 0) {
                    return -1;
                }
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }

    /** Index after the character class opened at {@code open}, or -1 when it does not close. */
    private static int skipClass(String re, int open) {
        int i = open + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            i++; // a leading ']' is a member
        }
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
                int close = re.indexOf(":]", i + 2);
                if (close < 0) {
                    return -1;
                }
                i = close + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return -1;
    }
}
