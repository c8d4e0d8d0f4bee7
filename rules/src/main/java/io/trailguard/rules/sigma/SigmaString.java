package io.trailguard.rules.sigma;

import io.trailguard.rules.text.CaseFold;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Sigma string value: literal text interleaved with wildcards ({@code *} any run, {@code ?} one character),
 * Windows dash classes (from {@code windash}) and placeholders (from {@code expand}). Immutable.
 *
 * <p>Parsing follows pySigma's {@code SigmaString}: a backslash escapes {@code *}, {@code ?} and itself; before any
 * other character, and at the end, it is a literal backslash. So {@code \*} is a literal star, {@code \\*} a
 * backslash then a wildcard, {@code \\\*} a backslash then a literal star, and {@code \} and {@code \\} are both
 * one backslash.
 */
final class SigmaString extends SigmaValue {
    /** Special parts. */
    enum Special { MULTI, SINGLE, DASH }

    /** A {@code %name%} placeholder left by {@code expand}. */
    static final class Placeholder {
        final String name;

        Placeholder(String name) {
            this.name = name;
        }
    }

    /** The characters {@code windash} makes interchangeable. */
    static final String DASHES = "-/\u2013\u2014\u2015";

    final List<Object> parts; // String | Special | Placeholder, adjacent strings merged
    final String original;
    final boolean cased;
    /** Literal chars stand for bytes 0..255 (after a utf16 encoding): base64 encodes them as ISO-8859-1. */
    final boolean binary;

    SigmaString(List<Object> parts, String original, boolean cased, boolean binary) {
        this.parts = Collections.unmodifiableList(merge(parts));
        this.original = original;
        this.cased = cased;
        this.binary = binary;
    }

    static SigmaString parse(String s) {
        List<Object> parts = new ArrayList<>();
        StringBuilder acc = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escaped) {
                if (c != '*' && c != '?' && c != '\\') {
                    acc.append('\\');
                }
                acc.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '*' || c == '?') {
                if (acc.length() > 0) {
                    parts.add(acc.toString());
                    acc.setLength(0);
                }
                parts.add(c == '*' ? Special.MULTI : Special.SINGLE);
            } else {
                acc.append(c);
            }
        }
        if (escaped) {
            acc.append('\\');
        }
        if (acc.length() > 0) {
            parts.add(acc.toString());
        }
        return new SigmaString(parts, s, false, false);
    }

    static SigmaString literal(String s, boolean binary) {
        List<Object> parts = new ArrayList<>();
        if (!s.isEmpty()) {
            parts.add(s);
        }
        return new SigmaString(parts, s, false, binary);
    }

    private static List<Object> merge(List<Object> parts) {
        List<Object> out = new ArrayList<>(parts.size());
        for (Object p : parts) {
            if (p instanceof String && ((String) p).isEmpty()) {
                continue;
            }
            if (p instanceof String && !out.isEmpty() && out.get(out.size() - 1) instanceof String) {
                out.set(out.size() - 1, out.get(out.size() - 1) + (String) p);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    SigmaString withParts(List<Object> newParts) {
        return new SigmaString(newParts, original, cased, binary);
    }

    SigmaString withOriginal(String text) {
        return new SigmaString(parts, text, cased, binary);
    }

    SigmaString withCased() {
        return new SigmaString(parts, original, true, binary);
    }

    SigmaString withBinary(List<Object> newParts) {
        return new SigmaString(newParts, original, cased, true);
    }

    boolean startsWithMulti() {
        return !parts.isEmpty() && parts.get(0) == Special.MULTI;
    }

    boolean endsWithMulti() {
        return !parts.isEmpty() && parts.get(parts.size() - 1) == Special.MULTI;
    }

    SigmaString prependMulti() {
        List<Object> p = new ArrayList<>(parts.size() + 1);
        p.add(Special.MULTI);
        p.addAll(parts);
        return withParts(p);
    }

    SigmaString appendMulti() {
        List<Object> p = new ArrayList<>(parts);
        p.add(Special.MULTI);
        return withParts(p);
    }

    /** True when some part is a wildcard, a dash class or a placeholder. */
    boolean hasSpecial() {
        for (Object p : parts) {
            if (!(p instanceof String)) {
                return true;
            }
        }
        return false;
    }

    boolean hasWildcard() {
        return parts.contains(Special.MULTI) || parts.contains(Special.SINGLE);
    }

    boolean hasPlaceholder() {
        for (Object p : parts) {
            if (p instanceof Placeholder) {
                return true;
            }
        }
        return false;
    }

    /** The literal text (only when {@link #hasSpecial()} is false). */
    String plain() {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append((String) p);
        }
        return sb.toString();
    }

    /** The bytes the literal text stands for: ISO-8859-1 for binary strings, UTF-8 otherwise. */
    byte[] bytes() {
        return plain().getBytes(binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** The value as written back in Sigma syntax (for messages). */
    String display() {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String) {
                sb.append(((String) p).replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?"));
            } else if (p == Special.MULTI) {
                sb.append('*');
            } else if (p == Special.SINGLE) {
                sb.append('?');
            } else if (p == Special.DASH) {
                sb.append("[-/]");
            } else {
                sb.append('%').append(((Placeholder) p).name).append('%');
            }
        }
        return sb.toString();
    }

    /** The literal parts folded for case-insensitive matching (unless cased). */
    String foldIfNeeded(String literal) {
        return cased ? literal : CaseFold.fold(literal);
    }

    @Override
    public String toString() {
        return "'" + display() + "'";
    }
}
