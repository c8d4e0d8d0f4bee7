package io.trailguard.job.sink.aws;

import io.trailguard.rules.text.UnpairedSurrogates;

import java.nio.charset.StandardCharsets;

/**
 * Safe text handling for the AWS outputs: truncation that never splits a surrogate pair, UTF-8 byte counting without
 * encoding, and repair of unpaired surrogates (which JSON encoders refuse or turn into invalid UTF-8).
 */
public final class Text {
    /** Appended to text that was cut. */
    public static final String ELLIPSIS = "\u2026";

    private Text() {
    }

    /** Null stays null; unpaired surrogates become U+FFFD ({@link UnpairedSurrogates#repair}). */
    public static String repairSurrogates(String s) {
        return UnpairedSurrogates.repair(s);
    }

    /**
     * At most {@code maxChars} UTF-16 units of {@code s}; when cut, the result ends with {@link #ELLIPSIS} (counted in
     * the limit) and never ends in the middle of a surrogate pair.
     */
    public static String truncateChars(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) {
            return s;
        }
        if (maxChars <= 0) {
            return "";
        }
        int keep = maxChars - ELLIPSIS.length();
        if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--;
        }
        return keep <= 0 ? ELLIPSIS.substring(0, Math.min(maxChars, ELLIPSIS.length())) : s.substring(0, keep) + ELLIPSIS;
    }

    /** UTF-8 length of {@code s} (unpaired surrogates count 3 bytes, as U+FFFD). */
    public static int utf8Length(CharSequence s) {
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The longest prefix of {@code s} whose UTF-8 encoding takes at most {@code maxBytes} bytes, ending with
     * {@link #ELLIPSIS} when cut (the ellipsis is counted), never splitting a surrogate pair.
     */
    public static String truncateUtf8(String s, int maxBytes) {
        if (s == null) {
            return null;
        }
        if (utf8Length(s) <= maxBytes) {
            return s;
        }
        int budget = maxBytes - 3; // the ellipsis is 3 bytes
        if (budget < 0) {
            return "";
        }
        int bytes = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int w;
            int units = 1;
            if (c < 0x80) {
                w = 1;
            } else if (c < 0x800) {
                w = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                w = 4;
                units = 2;
            } else {
                w = 3;
            }
            if (bytes + w > budget) {
                break;
            }
            bytes += w;
            i += units;
        }
        return s.substring(0, i) + ELLIPSIS;
    }

    /** Single-line form: every control character (and U+2028/U+2029) becomes a space. */
    public static String oneLine(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (bad && b == null) {
                b = new StringBuilder(s.length());
                b.append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? ' ' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** True when {@code s} has a character that is not whitespace (the ASFF NonEmptyString rule). */
    public static boolean hasNonWhitespace(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i)) && !Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
