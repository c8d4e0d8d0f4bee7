package io.trailguard.rules.text;

import java.util.List;

/**
 * A wildcard pattern whose only special character is {@code *} (any run of characters, including none and
 * including '/'), matched without a regular-expression engine: the first segment must start the text, the last
 * must end it, and the segments between must occur in order, without overlapping. Greedy leftmost search is exact
 * for such patterns, so the result equals the anchored regex {@code seg0.*seg1.*...segN}.
 *
 * <p>Case-insensitive matching is offered only for ASCII segments, where {@link String#regionMatches(boolean, int,
 * String, int, int)} agrees with RE2's case folding (including the non-ASCII characters that fold onto ASCII
 * letters, such as the Kelvin sign and the long s).
 */
public final class StarPattern {
    private final String[] segments;
    private final boolean ignoreCase;
    private final int minLength;

    private StarPattern(String[] segments, boolean ignoreCase) {
        this.segments = segments;
        this.ignoreCase = ignoreCase;
        int min = 0;
        for (String s : segments) {
            min += s.length();
        }
        this.minLength = min;
    }

    /**
     * The pattern {@code segments[0] * segments[1] * ... * segments[n-1]} (a single segment: no star at all), or
     * null when case-insensitive matching is asked for non-ASCII segments.
     */
    public static StarPattern of(List<String> segments, boolean ignoreCase) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a pattern has at least one segment");
        }
        if (ignoreCase) {
            for (String s : segments) {
                for (int i = 0; i < s.length(); i++) {
                    if (s.charAt(i) >= 0x80) {
                        return null;
                    }
                }
            }
        }
        return new StarPattern(segments.toArray(new String[0]), ignoreCase);
    }

    public boolean matches(String text) {
        int n = segments.length;
        int len = text.length();
        if (len < minLength) {
            return false;
        }
        String first = segments[0];
        if (n == 1) {
            return len == first.length() && region(text, 0, first);
        }
        String last = segments[n - 1];
        if (!region(text, 0, first) || !region(text, len - last.length(), last)) {
            return false;
        }
        int from = first.length();
        int end = len - last.length();
        for (int k = 1; k < n - 1; k++) {
            String seg = segments[k];
            int at = indexOf(text, seg, from, end);
            if (at < 0) {
                return false;
            }
            from = at + seg.length();
        }
        return true;
    }

    private boolean region(String text, int at, String seg) {
        return text.regionMatches(ignoreCase, at, seg, 0, seg.length());
    }

    /** First index in [from, end - seg.length()] where {@code seg} occurs, or -1. */
    private int indexOf(String text, String seg, int from, int end) {
        int lastStart = end - seg.length();
        if (lastStart < from) {
            return -1;
        }
        if (!ignoreCase) {
            int at = text.indexOf(seg, from);
            return at >= 0 && at <= lastStart ? at : -1;
        }
        for (int i = from; i <= lastStart; i++) {
            if (text.regionMatches(true, i, seg, 0, seg.length())) {
                return i;
            }
        }
        return -1;
    }
}
