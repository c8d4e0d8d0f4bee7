package io.trailguard.rules.text;

/**
 * Case folding for case-insensitive comparison (Sigma's default): each code point maps to
 * {@code toLowerCase(toUpperCase(cp))}, the same per-character rule as {@link String#equalsIgnoreCase}, so two
 * strings are equal ignoring case exactly when their folds are equal. Folding never changes the number of code
 * points (unlike {@link String#toLowerCase()}, which is locale- and context-sensitive), so a '?' wildcard still
 * matches exactly one character of the folded text. The engine's eventName index uses the same fold.
 */
public final class CaseFold {
    private CaseFold() {}

    public static String fold(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s; // ASCII without upper case letters: already folded
        }
        char[] out = new char[n];
        s.getChars(0, i, out, 0);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
                continue;
            }
            int f = Character.isSurrogate(c) ? -1 : fold((int) c);
            if (f < 0 || f > 0xFFFF) {
                return foldCodePoints(s, out, i); // surrogates, or a fold that leaves the BMP
            }
            out[i] = (char) f;
        }
        return new String(out);
    }

    private static String foldCodePoints(String s, char[] done, int from) {
        StringBuilder sb = new StringBuilder(s.length());
        sb.append(done, 0, from);
        int i = from;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(fold(cp));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    public static int fold(int cp) {
        if (cp < 0x80) {
            return cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp;
        }
        return Character.toLowerCase(Character.toUpperCase(cp));
    }
}
