package io.trailguard.rules.sigma;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The value transformations of the encoding modifiers and {@code windash}. */
final class Encodings {
    /** Most variants a value may expand into (windash permutations before an encoding). */
    static final int MAX_VARIANTS = 4096;

    private Encodings() {}

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * {@code base64offset}: the three encodings of the value shifted by 0, 1 and 2 bytes, each cut to the part that
     * does not depend on the surrounding bytes (pySigma's algorithm, with the byte length of the value).
     */
    static List<String> base64Offsets(byte[] value) {
        int[] start = {0, 2, 3};
        int[] endCut = {0, 3, 2};
        List<String> out = new ArrayList<>(3);
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[value.length + i];
            for (int k = 0; k < i; k++) {
                shifted[k] = ' ';
            }
            System.arraycopy(value, 0, shifted, i, value.length);
            String enc = base64(shifted);
            int cut = endCut[(value.length + i) % 3];
            int from = start[i];
            int to = enc.length() - cut;
            out.add(from <= to ? enc.substring(from, to) : "");
        }
        return out;
    }

    /** A text's UTF-16 little-endian (or big-endian) bytes as characters 0..255, optionally after a FF FE mark. */
    static String utf16(String text, boolean bigEndian, boolean byteOrderMark) {
        byte[] b = text.getBytes(bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
        StringBuilder sb = new StringBuilder(b.length + 2);
        if (byteOrderMark) {
            sb.append((char) 0xff).append((char) 0xfe);
        }
        for (byte x : b) {
            sb.append((char) (x & 0xff));
        }
        return sb.toString();
    }

    /** Whether {@code c} is a word character of Python's {@code \w} (letters, digits, underscore). */
    static boolean isWord(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    /**
     * {@code windash}: in each literal part, a {@code -} or {@code /} at a position matching pySigma's
     * {@code \B[-/]\b} (not preceded by a word character, followed by one) becomes a dash class matching any of
     * {@code - / – — ―}.
     */
    static SigmaString windash(SigmaString s) {
        List<Object> out = new ArrayList<>();
        boolean changed = false;
        for (Object p : s.parts) {
            if (!(p instanceof String)) {
                out.add(p);
                continue;
            }
            String t = (String) p;
            StringBuilder acc = new StringBuilder();
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                boolean dash = (c == '-' || c == '/') && (k == 0 || !isWord(t.charAt(k - 1)))
                        && k + 1 < t.length() && isWord(t.charAt(k + 1));
                if (dash) {
                    if (acc.length() > 0) {
                        out.add(acc.toString());
                        acc.setLength(0);
                    }
                    out.add(SigmaString.Special.DASH);
                    changed = true;
                } else {
                    acc.append(c);
                }
            }
            if (acc.length() > 0) {
                out.add(acc.toString());
            }
        }
        return changed ? s.withParts(out) : s;
    }

    /** The strings a value with dash classes stands for (every permutation), for modifiers that need literals. */
    static List<SigmaString> expandDashes(SigmaString s) {
        List<List<Object>> variants = new ArrayList<>();
        variants.add(new ArrayList<>());
        for (Object p : s.parts) {
            if (p == SigmaString.Special.DASH) {
                if (variants.size() * SigmaString.DASHES.length() > MAX_VARIANTS) {
                    throw new IllegalArgumentException("windash expands to more than " + MAX_VARIANTS
                            + " variants before an encoding modifier");
                }
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> v : variants) {
                    for (char d : SigmaString.DASHES.toCharArray()) {
                        List<Object> copy = new ArrayList<>(v);
                        copy.add(String.valueOf(d));
                        next.add(copy);
                    }
                }
                variants = next;
            } else {
                for (List<Object> v : variants) {
                    v.add(p);
                }
            }
        }
        List<SigmaString> out = new ArrayList<>(variants.size());
        for (List<Object> v : variants) {
            out.add(s.withParts(v));
        }
        return out;
    }
}
