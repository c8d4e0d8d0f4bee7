package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict subset of JSON that {@link Json#mapper()} certainly accepts, checked byte by byte without building
 * anything, and the nodes of a checked value built the way {@code readTree} builds them.
 *
 * <p>The subset: printable ASCII (0x20-0x7E) in strings, only JSON's escapes ({@code \" \\ \/ \b \f \n \r \t} and
 * {@code \\uXXXX}), whitespace of space, tab, CR and LF, the JSON number grammar (no leading zeros, no {@code +},
 * {@code NaN} or bare {@code .}) of at most {@value #MAX_NUMBER_CHARS} characters, nesting at most
 * {@value #MAX_DEPTH} deep, keys of at most {@value #MAX_KEY_BYTES} bytes, documents of at most
 * {@value #MAX_DOCUMENT_BYTES} bytes (so every string is far below {@link Json#MAX_STRING_LENGTH}). Each limit is
 * far inside the mapper's: whatever the subset accepts, {@code readTree} accepts with the same tree. Anything else
 * (bytes above 0x7E, a BOM, control characters, comments, ...) is outside the subset, whether or not Jackson takes
 * it; the caller then parses the whole document with Jackson.
 *
 * <p>Positions are indexes into the document's bytes; "skip" methods return the index after what they checked, or
 * {@link #OUTSIDE} when the input is not in the subset there. Building methods are only called on checked input.
 */
final class JsonSubset {
    static final int OUTSIDE = -1;
    static final int MAX_DEPTH = 64;
    static final int MAX_KEY_BYTES = 1000;
    static final int MAX_NUMBER_CHARS = 100;
    static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
    /** Integer literals of at most this many digits are built here; longer ones by Jackson. */
    private static final int LONG_DIGITS = 18;

    private static final byte PLAIN = 0;
    private static final byte QUOTE = 1;
    private static final byte BACKSLASH = 2;
    private static final byte REJECT = 3;
    /** What each byte is inside a string. */
    private static final byte[] IN_STRING = new byte[256];
    /** The value of a hex digit, or -1. */
    private static final byte[] HEX = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            IN_STRING[c] = c < 0x20 || c > 0x7e ? REJECT : PLAIN;
            HEX[c] = -1;
        }
        IN_STRING['"'] = QUOTE;
        IN_STRING['\\'] = BACKSLASH;
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    private JsonSubset() {}

    /**
     * The document's tree when the document is one object or array in the subset (whitespace around it allowed),
     * each object's values built on first read; null otherwise.
     */
    static JsonNode document(byte[] data) {
        int end = data.length;
        if (end > MAX_DOCUMENT_BYTES) {
            return null;
        }
        int i = skipWhitespace(data, 0, end);
        if (i >= end) {
            return null;
        }
        if (data[i] == '{') {
            LazyMembers members = LazyMembers.scan(data, i, end, 1);
            if (members == null || skipWhitespace(data, members.end(), end) != end) {
                return null;
            }
            return new ObjectNode(factory(), members);
        }
        if (data[i] == '[') {
            int after = skipArray(data, i, end, 1);
            if (after == OUTSIDE || skipWhitespace(data, after, end) != end) {
                return null;
            }
            return array(data, i, end, 1);
        }
        return null;
    }

    static JsonNodeFactory factory() {
        return Json.mapper().getNodeFactory();
    }

    static int skipWhitespace(byte[] b, int i, int end) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }

    /** Checks the value at {@code i} (no whitespace before it) nested in {@code depth} containers. */
    static int skipValue(byte[] b, int i, int end, int depth) {
        if (i >= end) {
            return OUTSIDE;
        }
        switch (b[i]) {
            case '"':
                return skipString(b, i, end);
            case '{':
                return skipObject(b, i, end, depth + 1);
            case '[':
                return skipArray(b, i, end, depth + 1);
            case 't':
                return skipLiteral(b, i, end, "true");
            case 'f':
                return skipLiteral(b, i, end, "false");
            case 'n':
                return skipLiteral(b, i, end, "null");
            default:
                return skipNumber(b, i, end);
        }
    }

    /** Checks the string whose opening quote is at {@code i}. */
    static int skipString(byte[] b, int i, int end) {
        i++;
        while (i < end) {
            byte kind = IN_STRING[b[i] & 0xff];
            if (kind == PLAIN) {
                i++;
            } else if (kind == QUOTE) {
                return i + 1;
            } else if (kind == BACKSLASH) {
                i = skipEscape(b, i, end);
                if (i == OUTSIDE) {
                    return OUTSIDE;
                }
            } else {
                return OUTSIDE;
            }
        }
        return OUTSIDE;
    }

    private static int skipEscape(byte[] b, int i, int end) {
        if (i + 1 >= end) {
            return OUTSIDE;
        }
        switch (b[i + 1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return i + 2;
            case 'u':
                if (i + 5 >= end) {
                    return OUTSIDE;
                }
                for (int k = i + 2; k < i + 6; k++) {
                    if (HEX[b[k] & 0xff] < 0) {
                        return OUTSIDE;
                    }
                }
                return i + 6;
            default:
                return OUTSIDE;
        }
    }

    private static int skipLiteral(byte[] b, int i, int end, String literal) {
        int n = literal.length();
        if (i + n > end) {
            return OUTSIDE;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != literal.charAt(k)) {
                return OUTSIDE;
            }
        }
        return i + n;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, at most {@value #MAX_NUMBER_CHARS} characters. */
    static int skipNumber(byte[] b, int i, int end) {
        int start = i;
        if (i < end && b[i] == '-') {
            i++;
        }
        if (i >= end) {
            return OUTSIDE;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i = digits(b, i, end);
        } else {
            return OUTSIDE;
        }
        if (i < end && b[i] == '.') {
            int j = digits(b, i + 1, end);
            if (j == i + 1) {
                return OUTSIDE;
            }
            i = j;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int j = digits(b, i, end);
            if (j == i) {
                return OUTSIDE;
            }
            i = j;
        }
        return i - start <= MAX_NUMBER_CHARS ? i : OUTSIDE;
    }

    private static int digits(byte[] b, int i, int end) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    /** Checks the object whose '{' is at {@code i}; {@code depth} counts it. */
    static int skipObject(byte[] b, int i, int end, int depth) {
        if (depth > MAX_DEPTH) {
            return OUTSIDE;
        }
        i = skipWhitespace(b, i + 1, end);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (i >= end || b[i] != '"') {
                return OUTSIDE;
            }
            int keyEnd = skipString(b, i, end);
            if (keyEnd == OUTSIDE || keyEnd - i > MAX_KEY_BYTES) {
                return OUTSIDE;
            }
            i = skipWhitespace(b, keyEnd, end);
            if (i >= end || b[i] != ':') {
                return OUTSIDE;
            }
            i = skipValue(b, skipWhitespace(b, i + 1, end), end, depth);
            if (i == OUTSIDE) {
                return OUTSIDE;
            }
            i = skipWhitespace(b, i, end);
            if (i >= end) {
                return OUTSIDE;
            }
            if (b[i] == '}') {
                return i + 1;
            }
            if (b[i] != ',') {
                return OUTSIDE;
            }
            i = skipWhitespace(b, i + 1, end);
        }
    }

    /** Checks the array whose '[' is at {@code i}; {@code depth} counts it. */
    static int skipArray(byte[] b, int i, int end, int depth) {
        if (depth > MAX_DEPTH) {
            return OUTSIDE;
        }
        i = skipWhitespace(b, i + 1, end);
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = skipValue(b, i, end, depth);
            if (i == OUTSIDE) {
                return OUTSIDE;
            }
            i = skipWhitespace(b, i, end);
            if (i >= end) {
                return OUTSIDE;
            }
            if (b[i] == ']') {
                return i + 1;
            }
            if (b[i] != ',') {
                return OUTSIDE;
            }
            i = skipWhitespace(b, i + 1, end);
        }
    }

    /**
     * The node of the checked value at {@code i}, nested in {@code depth} containers: objects are {@link LazyMembers}
     * objects (their members built on first read), arrays are built element by element.
     */
    static JsonNode value(byte[] b, int i, int end, int depth) {
        switch (b[i]) {
            case '"':
                return TextNode.valueOf(string(b, i, skipString(b, i, end)));
            case '{': {
                LazyMembers members = LazyMembers.scan(b, i, end, depth + 1);
                if (members == null) {
                    throw new IllegalStateException("checked JSON object did not scan at " + i);
                }
                return new ObjectNode(factory(), members);
            }
            case '[':
                return array(b, i, end, depth + 1);
            case 't':
                return BooleanNode.TRUE;
            case 'f':
                return BooleanNode.FALSE;
            case 'n':
                return NullNode.getInstance();
            default:
                return number(b, i, skipNumber(b, i, end));
        }
    }

    private static ArrayNode array(byte[] b, int i, int end, int depth) {
        List<JsonNode> elements = new ArrayList<>();
        i = skipWhitespace(b, i + 1, end);
        while (b[i] != ']') {
            elements.add(value(b, i, end, depth));
            i = skipWhitespace(b, skipValue(b, i, end, depth), end);
            if (b[i] == ',') {
                i = skipWhitespace(b, i + 1, end);
            }
        }
        return new ArrayNode(factory(), elements);
    }

    /**
     * An integer of up to {@value #LONG_DIGITS} digits as Jackson types it (int when it fits, else long); other
     * numbers (fractions, exponents, longer integers) by the mapper itself.
     */
    private static JsonNode number(byte[] b, int start, int end) {
        boolean negative = b[start] == '-';
        int i = negative ? start + 1 : start;
        if (end - i <= LONG_DIGITS) {
            long v = 0;
            int k = i;
            while (k < end && b[k] >= '0' && b[k] <= '9') {
                v = v * 10 + (b[k] - '0');
                k++;
            }
            if (k == end) {
                v = negative ? -v : v;
                return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
            }
        }
        try {
            return Json.mapper().readTree(b, start, end - start);
        } catch (IOException e) {
            throw new UncheckedIOException("checked JSON number did not parse", e);
        }
    }

    /** The text of the checked string from the quote at {@code start} to after its closing quote at {@code end}. */
    static String string(byte[] b, int start, int end) {
        int from = start + 1;
        int to = end - 1;
        int k = from;
        while (k < to && b[k] != '\\') {
            k++;
        }
        if (k == to) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        StringBuilder s = new StringBuilder(to - from);
        s.append(new String(b, from, k - from, StandardCharsets.ISO_8859_1));
        while (k < to) {
            byte c = b[k];
            if (c != '\\') {
                s.append((char) c);
                k++;
                continue;
            }
            byte e = b[k + 1];
            switch (e) {
                case 'b':
                    s.append('\b');
                    break;
                case 'f':
                    s.append('\f');
                    break;
                case 'n':
                    s.append('\n');
                    break;
                case 'r':
                    s.append('\r');
                    break;
                case 't':
                    s.append('\t');
                    break;
                case 'u':
                    s.append((char) (HEX[b[k + 2] & 0xff] << 12 | HEX[b[k + 3] & 0xff] << 8
                            | HEX[b[k + 4] & 0xff] << 4 | HEX[b[k + 5] & 0xff]));
                    k += 4;
                    break;
                default: // '"', '\\', '/'
                    s.append((char) e);
                    break;
            }
            k += 2;
        }
        return s.toString();
    }
}
