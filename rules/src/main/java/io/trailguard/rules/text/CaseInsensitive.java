package io.trailguard.rules.text;

/**
 * Case-insensitive search in the sense of {@link String#regionMatches(boolean, int, String, int, int)}: per
 * character, equal, equal upper cases or equal lower cases of the upper cases. For an ASCII pattern this is exactly
 * "equal after {@code toLowerCase(toUpperCase(c))}" (the fold Sigma uses, see
 * {@link CaseFold}), including the non-ASCII characters that fold onto ASCII letters
 * (Kelvin sign, long s, dotted and dotless i), so texts need not be folded first.
 */
public final class CaseInsensitive {
    private CaseInsensitive() {}

    /** True when every character of {@code s} is ASCII. */
    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** First index of {@code needle} in {@code haystack} ignoring case, or -1 (0 for an empty needle). */
    public static int indexOf(String haystack, String needle) {
        int n = needle.length();
        int max = haystack.length() - n;
        if (n == 0) {
            return max >= 0 ? 0 : -1;
        }
        char first = needle.charAt(0);
        char lower = Character.toLowerCase(first);
        char upper = Character.toUpperCase(first);
        boolean asciiFirst = first < 0x80;
        for (int i = 0; i <= max; i++) {
            char c = haystack.charAt(i);
            // a cheap first-character filter; any non-ASCII character may still fold onto an ASCII one
            if (asciiFirst && c != lower && c != upper && c < 0x80) {
                continue;
            }
            if (haystack.regionMatches(true, i, needle, 0, n)) {
                return i;
            }
        }
        return -1;
    }

    public static boolean equals(String text, String literal) {
        return text.length() == literal.length() && text.regionMatches(true, 0, literal, 0, literal.length());
    }

    public static boolean startsWith(String text, String literal) {
        return text.regionMatches(true, 0, literal, 0, literal.length());
    }

    public static boolean endsWith(String text, String literal) {
        int from = text.length() - literal.length();
        return from >= 0 && text.regionMatches(true, from, literal, 0, literal.length());
    }
}
