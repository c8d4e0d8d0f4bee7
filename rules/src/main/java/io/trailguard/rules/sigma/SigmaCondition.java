package io.trailguard.rules.sigma;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a Sigma detection condition (pySigma's grammar), precedence from loosest to tightest
 * {@code or < and < not < x of < ( )}:
 * <pre>
 * condition := or
 * or        := and ("or" and)*
 * and       := not ("and" not)*
 * not       := "not" not | operand
 * operand   := "(" or ")" | selector | identifier
 * selector  := ("1" | "any" | "all") "of" (pattern | "them")
 * </pre>
 * Identifiers are {@code [A-Za-z0-9_-]+}, patterns {@code [A-Za-z0-9_*]+}; operators are lower case. The obsolete
 * aggregation syntax ({@code | count() ...}, {@code near}) is refused with a pointer to correlation rules.
 */
final class SigmaCondition {
    /** Deepest nesting of parentheses and 'not' accepted. */
    static final int MAX_DEPTH = 100;

    /** A parsed condition node. */
    abstract static class Node {
        final int offset;

        Node(int offset) {
            this.offset = offset;
        }
    }

    static final class Ident extends Node {
        final String name;

        Ident(String name, int offset) {
            super(offset);
            this.name = name;
        }
    }

    static final class Selector extends Node {
        final boolean all;
        final String pattern; // "them" for them

        Selector(boolean all, String pattern, int offset) {
            super(offset);
            this.all = all;
            this.pattern = pattern;
        }
    }

    static final class Op extends Node {
        final String op; // and, or
        final List<Node> children;

        Op(String op, List<Node> children, int offset) {
            super(offset);
            this.op = op;
            this.children = children;
        }
    }

    static final class Not extends Node {
        final Node child;

        Not(Node child, int offset) {
            super(offset);
            this.child = child;
        }
    }

    /** A syntax error at an offset of the condition text. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int offset;

        SyntaxError(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    private static final class Token {
        final String text;
        final int offset;

        Token(String text, int offset) {
            this.text = text;
            this.offset = offset;
        }
    }

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int depth;

    private SigmaCondition(String text) {
        this.text = text;
    }

    static Node parse(String text) {
        SigmaCondition p = new SigmaCondition(text);
        p.tokenize();
        if (p.tokens.isEmpty()) {
            throw new SyntaxError("empty condition", 0);
        }
        Node n = p.or();
        if (p.pos < p.tokens.size()) {
            Token t = p.tokens.get(p.pos);
            boolean operator = t.text.equalsIgnoreCase("and") || t.text.equalsIgnoreCase("or")
                    || t.text.equalsIgnoreCase("not");
            throw new SyntaxError("unexpected '" + t.text + "'"
                    + (operator ? ": condition operators are lower case (and, or, not)" : ""), t.offset);
        }
        return n;
    }

    private void tokenize() {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(new Token(String.valueOf(c), i));
                i++;
            } else if (isWordChar(c)) {
                int start = i;
                while (i < n && isWordChar(text.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(text.substring(start, i), start));
            } else if (c == '|') {
                throw new SyntaxError("the aggregation syntax ('| count() ...', 'near') is obsolete and not "
                        + "supported: write a Sigma correlation rule (event_count, value_count, temporal...)", i);
            } else {
                throw new SyntaxError("unexpected character '" + c + "'", i);
            }
        }
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                || c == '*';
    }

    private Token peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean at(String word) {
        Token t = peek();
        return t != null && t.text.equals(word);
    }

    private Node or() {
        Node first = and();
        if (!at("or")) {
            return first;
        }
        List<Node> children = new ArrayList<>();
        children.add(first);
        while (at("or")) {
            pos++;
            children.add(and());
        }
        return new Op("or", children, first.offset);
    }

    private Node and() {
        Node first = not();
        if (!at("and")) {
            return first;
        }
        List<Node> children = new ArrayList<>();
        children.add(first);
        while (at("and")) {
            pos++;
            children.add(not());
        }
        return new Op("and", children, first.offset);
    }

    private Node not() {
        Token t = peek();
        if (t != null && t.text.equals("not")) {
            pos++;
            enter(t);
            Node child = not();
            depth--;
            return new Not(child, t.offset);
        }
        return operand();
    }

    private void enter(Token t) {
        if (++depth > MAX_DEPTH) {
            throw new SyntaxError("condition nests too deeply", t.offset);
        }
    }

    private Node operand() {
        Token t = peek();
        int end = text.length();
        if (t == null) {
            throw new SyntaxError("condition ends where a search identifier was expected", end);
        }
        if (t.text.equals("(")) {
            pos++;
            enter(t);
            Node inner = or();
            depth--;
            if (!at(")")) {
                Token u = peek();
                throw new SyntaxError("missing ')'", u == null ? end : u.offset);
            }
            pos++;
            return inner;
        }
        if ((t.text.equals("1") || t.text.equals("any") || t.text.equals("all")) && pos + 1 < tokens.size()
                && tokens.get(pos + 1).text.equals("of")) {
            pos += 2;
            Token p = peek();
            if (p == null || p.text.equals("(") || p.text.equals(")") || isOperator(p.text)) {
                throw new SyntaxError("'" + t.text + " of' needs a search identifier pattern or 'them'",
                        p == null ? end : p.offset);
            }
            if (p.text.indexOf('-') >= 0) {
                throw new SyntaxError("a search identifier pattern is made of letters, digits, '_' and '*'",
                        p.offset);
            }
            pos++;
            return new Selector(t.text.equals("all"), p.text, t.offset);
        }
        if (t.text.equals(")")) {
            throw new SyntaxError("unexpected ')'", t.offset);
        }
        if (isOperator(t.text)) {
            throw new SyntaxError("'" + t.text + "' where a search identifier was expected", t.offset);
        }
        if (t.text.equalsIgnoreCase("and") || t.text.equalsIgnoreCase("or") || t.text.equalsIgnoreCase("not")) {
            throw new SyntaxError("'" + t.text + "': condition operators are lower case (and, or, not)", t.offset);
        }
        if (t.text.indexOf('*') >= 0) {
            throw new SyntaxError("wildcard identifier '" + t.text + "' needs '1 of' or 'all of'", t.offset);
        }
        if (t.text.equals("near")) {
            throw new SyntaxError("'near' is obsolete: write a temporal correlation rule", t.offset);
        }
        pos++;
        return new Ident(t.text, t.offset);
    }

    private static boolean isOperator(String s) {
        return s.equals("and") || s.equals("or") || s.equals("not") || s.equals("of");
    }
}
