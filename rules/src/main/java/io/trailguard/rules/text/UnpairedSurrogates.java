package io.trailguard.rules.text;

/**
 * Repair of unpaired UTF-16 surrogates, which JSON encoders refuse or turn into invalid UTF-8 (a JSON string escape
 * of a lone surrogate parses into one).
 */
public final class UnpairedSurrogates {
    private UnpairedSurrogates() {
    }

    /** Null stays null; unpaired surrogates become U+FFFD. Returns {@code s} itself when it is clean. */
    public static String repair(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i += 2;
            } else if (Character.isSurrogate(c)) {
                break;
            } else {
                i++;
            }
        }
        if (i >= n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n);
        b.append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(i + 1));
                i += 2;
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return b.toString();
    }
}
