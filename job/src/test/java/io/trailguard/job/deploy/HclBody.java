package io.trailguard.job.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * The structure of an HCL body, enough for schema checks: the names of its arguments ({@code name = ...}) and its
 * blocks ({@code type "label" ... { body }}), values skipped. Handles strings with escapes and interpolation, and
 * {@code #} / {@code //} comments; not heredocs (the module uses none).
 */
final class HclBody {
    final List<String> attributes = new ArrayList<>();
    final List<Block> blocks = new ArrayList<>();

    static final class Block {
        final String type;
        final List<String> labels;
        final HclBody body;

        Block(String type, List<String> labels, HclBody body) {
            this.type = type;
            this.labels = labels;
            this.body = body;
        }
    }

    /** The first nested block of {@code type}, or null. */
    HclBody block(String type) {
        for (Block b : blocks) {
            if (b.type.equals(type)) {
                return b.body;
            }
        }
        return null;
    }

    static HclBody parse(String text) {
        return new Parser(text).body(false);
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        HclBody body(boolean braced) {
            HclBody b = new HclBody();
            while (true) {
                skipSpaceAndComments(true);
                if (i >= s.length()) {
                    if (braced) {
                        throw new IllegalStateException("unclosed block");
                    }
                    return b;
                }
                if (s.charAt(i) == '}') {
                    i++;
                    return b;
                }
                String name = identifier();
                skipSpaceAndComments(false);
                if (s.charAt(i) == '=') {
                    i++;
                    skipValue();
                    b.attributes.add(name);
                    continue;
                }
                List<String> labels = new ArrayList<>();
                while (s.charAt(i) == '"') {
                    labels.add(string());
                    skipSpaceAndComments(false);
                }
                if (s.charAt(i) != '{') {
                    throw new IllegalStateException("expected { after " + name + " at " + i);
                }
                i++;
                b.blocks.add(new Block(name, labels, body(true)));
            }
        }

        private String identifier() {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                    || s.charAt(i) == '-')) {
                i++;
            }
            if (start == i) {
                throw new IllegalStateException("expected a name at " + i + ": " + s.substring(i, Math.min(s.length(), i + 30)));
            }
            return s.substring(start, i);
        }

        /** A quoted string starting at i, returned without quotes (interpolations kept verbatim). */
        private String string() {
            int start = ++i;
            int depth = 0;
            while (true) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '$' && s.charAt(i + 1) == '{') {
                    depth++;
                    i += 2;
                    continue;
                }
                if (depth > 0 && c == '}') {
                    depth--;
                } else if (depth > 0 && c == '"') {
                    string(); // a string inside an interpolation
                    continue;
                } else if (depth == 0 && c == '"') {
                    return s.substring(start, i++);
                }
                i++;
            }
        }

        /** Skips an expression up to the end of its line outside brackets. */
        private void skipValue() {
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    string();
                    continue;
                }
                if (c == '#' || (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                    continue;
                }
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    if (depth == 0) {
                        return; // the closing brace of the enclosing block on the same line
                    }
                    depth--;
                } else if (c == '\n' && depth == 0) {
                    return;
                }
                i++;
            }
        }

        private void skipSpaceAndComments(boolean newlines) {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '#' || (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n') || c == ',') {
                    i++;
                } else {
                    return;
                }
            }
        }
    }
}
