package io.trailguard.rules.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * Translates an fnmatch(3) pattern without FNM_PATHNAME (so '*' also matches '/') into an RE2 regular
 * expression: {@code *} any run, {@code ?} one character, {@code [...]} a class ({@code [!...]} or {@code [^...]}
 * negated), backslash escapes the next character. An unterminated '[' is a literal.
 */
final class Glob {
    private Glob() {}

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder(glob.length() + 8);
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
                i++;
            } else if (c == '?') {
                re.append('.');
                i++;
            } else if (c == '\\' && i + 1 < n) {
                literal(re, glob.charAt(i + 1));
                i += 2;
            } else if (c == '[') {
                int end = classEnd(glob, i);
                if (end < 0) {
                    literal(re, c);
                    i++;
                } else {
                    appendClass(re, glob.substring(i + 1, end));
                    i = end + 1;
                }
            } else {
                literal(re, c);
                i++;
            }
        }
        return re.toString();
    }

    /**
     * The literal segments between the stars of a glob that has no {@code ?} and no {@code [} (escapes resolved),
     * so that {@link io.trailguard.rules.text.StarPattern} can match it without a regex; null for other globs.
     */
    static List<String> starSegments(String glob) {
        List<String> segments = new ArrayList<>();
        StringBuilder seg = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            if (c == '?' || c == '[') {
                return null;
            }
            if (c == '*') {
                segments.add(seg.toString());
                seg.setLength(0);
            } else if (c == '\\' && i + 1 < n) {
                seg.append(glob.charAt(++i));
            } else {
                seg.append(c);
            }
        }
        segments.add(seg.toString());
        return segments;
    }

    /** Index of the ']' closing the class opened at {@code open}, or -1. */
    private static int classEnd(String g, int open) {
        int j = open + 1;
        if (j < g.length() && (g.charAt(j) == '!' || g.charAt(j) == '^')) {
            j++;
        }
        if (j < g.length() && g.charAt(j) == ']') {
            j++; // a leading ']' is a member
        }
        while (j < g.length() && g.charAt(j) != ']') {
            j++;
        }
        return j < g.length() ? j : -1;
    }

    private static void appendClass(StringBuilder re, String body) {
        re.append('[');
        int k = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            re.append('^');
            k = 1;
        }
        for (; k < body.length(); k++) {
            char c = body.charAt(k);
            if (c == '-' && k > 0 && k < body.length() - 1) {
                re.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                re.append(c);
            } else if (c < 0x20 || c == 0x7f) {
                re.append(String.format("\\x{%x}", (int) c));
            } else {
                re.append('\\').append(c);
            }
        }
        re.append(']');
    }

    private static void literal(StringBuilder re, char c) {
        if (Character.isLetterOrDigit(c) || c == ' ' || c == '_') {
            re.append(c);
        } else if (c < 0x20 || c == 0x7f) {
            re.append(String.format("\\x{%x}", (int) c));
        } else if (c < 128) {
            re.append('\\').append(c);
        } else {
            re.append(c);
        }
    }
}
