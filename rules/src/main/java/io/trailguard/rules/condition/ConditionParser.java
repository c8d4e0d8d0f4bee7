package io.trailguard.rules.condition;

import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.condition.ast.MacroRef;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;

import io.trailguard.rules.field.Transformers;
import io.trailguard.rules.text.Suggestions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for Falco's condition grammar ({@code reference/falco.md} 3.3):
 * precedence {@code or < and < not < check}, n-ary and/or, {@code not(}, bare identifiers as macro references,
 * field arguments, every operator and the {@code oneof/anyof/allof} modifiers, transformers and {@code val()}.
 *
 * <p>Falco substitutes lists textually before parsing; this parser expands list names where a value stands
 * ({@code in (a, my_list)}, {@code in my_list}, {@code = my_list} with a one-item list) instead, which gives the
 * same result without Falco's quoting problems. A list name that is not defined stays a literal item, as in
 * Falco. List names that cannot be read as one bare value (a name with a blank) are substituted textually by the
 * loader before parsing, as Falco does.
 *
 * <p>One extension: a field argument may contain balanced brackets, so JSONPath works bare:
 * {@code json.path[$.a.items[*].b]}.
 *
 * <p>One class although it is long: every production reads and moves the same cursor, and the methods follow the
 * grammar top to bottom (or, and, not, check, operands, values, lexemes), as Falco's {@code parser.cpp} does.
 */
public final class ConditionParser {
    /** Falco sets a recursion limit of 1000 for rule conditions. */
    public static final int MAX_DEPTH = 1000;
    /** Conditions longer than this are rejected before parsing. */
    public static final int MAX_LENGTH = 256 * 1024;

    static final Set<String> TRANSFORMERS = Transformers.NAMES;
    private static final String[] NUM_OPS = {"<=", "<", ">=", ">"};
    private static final String[] SYMBOL_STR_OPS = {"==", "=", "!="};
    private static final String[] WORD_STR_OPS = {"bcontains", "bstartswith", "contains", "endswith", "glob",
        "icontains", "iglob", "startswith", "regex"};
    private static final String[] LIST_OPS = {"intersects", "in", "pmatch"};
    private static final String[] MODIFIERS = {"oneof", "anyof", "allof"};
    private static final List<String> OPERATOR_NAMES = List.of("exists", "contains", "icontains", "bcontains",
        "startswith", "bstartswith", "endswith", "glob", "iglob", "regex", "in", "intersects", "pmatch");

    private final String text;
    private final ListResolver lists;
    private int pos;
    private int depth;

    private ConditionParser(String text, ListResolver lists) {
        this.text = text;
        this.lists = lists;
    }

    public static Expr parse(String text, ListResolver lists) {
        if (text.length() > MAX_LENGTH) {
            throw new ConditionSyntaxException("condition is " + text.length() + " characters long; the limit is "
                + MAX_LENGTH, 0);
        }
        ConditionParser p = new ConditionParser(text, lists);
        p.skipBlanks();
        if (p.atEnd()) {
            throw new ConditionSyntaxException("empty condition", 0);
        }
        Expr e = p.parseOr();
        p.skipBlanks();
        if (!p.atEnd()) {
            throw p.error("unexpected token after '" + p.before() + "', expecting 'or', 'and'");
        }
        return e;
    }

    /**
     * The field or transformer call that starts at {@code start} in {@code text} (an output format), or null.
     * {@code end[0]} receives the position after it.
     */
    public static FieldExpr fieldAt(String text, int start, int[] end) {
        ConditionParser p = new ConditionParser(text, ListResolver.NONE);
        p.pos = start;
        FieldExpr f = p.tryFieldOrTransformer();
        end[0] = p.pos;
        return f;
    }

    // ---- expressions -----------------------------------------------------------------------------

    private Expr parseOr() {
        enter();
        List<Expr> children = new ArrayList<>();
        children.add(parseAnd());
        while (true) {
            int save = pos;
            skipBlanks();
            if (keyword("or")) {
                children.add(parseAnd());
            } else {
                pos = save;
                break;
            }
        }
        depth--;
        return children.size() == 1 ? children.get(0) : new OrExpr(children);
    }

    private Expr parseAnd() {
        List<Expr> children = new ArrayList<>();
        children.add(parseNot());
        while (true) {
            int save = pos;
            skipBlanks();
            if (keyword("and")) {
                children.add(parseNot());
            } else {
                pos = save;
                break;
            }
        }
        return children.size() == 1 ? children.get(0) : new AndExpr(children);
    }

    /** Consumes {@code word} when it is followed by a blank or '(' (Falco's rule for and/or/not). */
    private boolean keyword(String word) {
        if (text.startsWith(word, pos)) {
            int end = pos + word.length();
            if (end < text.length() && (isBlank(text.charAt(end)) || text.charAt(end) == '(')) {
                pos = end;
                return true;
            }
        }
        return false;
    }

    private Expr parseNot() {
        skipBlanks();
        boolean negate = false;
        while (keyword("not")) {
            negate = !negate;
            skipBlanks();
        }
        Expr e = parseCheck();
        return negate ? new NotExpr(e) : e;
    }

    private Expr parseCheck() {
        skipBlanks();
        if (atEnd()) {
            throw error("unexpected end of condition, expecting a field, a macro or '('");
        }
        if (peek() == '(') {
            pos++;
            enter();
            Expr e = parseOr();
            depth--;
            skipBlanks();
            expect(')');
            return e;
        }
        int start = pos;
        FieldExpr field = tryFieldOrTransformer();
        if (field != null) {
            return parseCondition(field, start);
        }
        String id = identifier();
        if (id != null) {
            return new MacroRef(id, start);
        }
        throw error("expecting a field, a macro or '(' but found '" + excerpt() + "'");
    }

    // ---- fields ----------------------------------------------------------------------------------

    /** A FieldName (needs a dot) with optional [arg], or a transformer call; null (position kept) if neither. */
    private FieldExpr tryFieldOrTransformer() {
        int start = pos;
        String name = fieldName();
        if (name != null) {
            return FieldExpr.field(name, optionalFieldArg(), start);
        }
        pos = start;
        String id = identifier();
        if (id != null && !atEnd() && peek() == '(' && TRANSFORMERS.contains(id)) {
            pos++;
            return transformerRemainder(id, start);
        }
        pos = start;
        return null;
    }

    /**
     * After {@code name(}: {@code Arg (',' Arg)* ')'} and an optional {@code [arg]}, where an argument is a
     * number, a quoted string, a transformer list, a transformer call or a field (parser.cpp
     * {@code parse_field_or_transformer_remainder}); what each transformer accepts is checked when it compiles.
     */
    private FieldExpr transformerRemainder(String transformer, int start) {
        enter();
        List<FieldExpr> args = new ArrayList<>();
        do {
            skipBlanks();
            args.add(transformerArg());
            skipBlanks();
        } while (consume(','));
        expect(')');
        String arg = optionalFieldArg();
        depth--;
        return FieldExpr.transform(transformer, args, arg, start);
    }

    private FieldExpr transformerArg() {
        int start = pos;
        FieldExpr literal = tryLiteral();
        if (literal != null) {
            return literal;
        }
        if (consume('(')) {
            return transformerList(start);
        }
        FieldExpr f = tryFieldOrTransformer();
        if (f == null) {
            throw error("expected field transformer argument: field, transformer, quoted string, number, or "
                + "transformer list, found '" + excerpt() + "'");
        }
        return f;
    }

    /** After '(': {@code ( Element (',' Element)* )? ')'}, an element being a field, a transformer or a literal. */
    private FieldExpr transformerList(int start) {
        List<FieldExpr> elements = new ArrayList<>();
        skipBlanks();
        if (consume(')')) {
            return FieldExpr.list(elements, start);
        }
        do {
            skipBlanks();
            FieldExpr e = tryFieldOrTransformer();
            if (e == null) {
                e = tryLiteral();
            }
            if (e == null) {
                throw error("expected transformer list argument: field, transformer, quoted string, or number, "
                    + "found '" + excerpt() + "'");
            }
            elements.add(e);
            skipBlanks();
        } while (consume(','));
        expect(')');
        return FieldExpr.list(elements, start);
    }

    /** A quoted string or a number, as a transformer argument; null (position kept) otherwise. */
    private FieldExpr tryLiteral() {
        int start = pos;
        if (!atEnd() && (peek() == '"' || peek() == '\'')) {
            return FieldExpr.literal(quoted(), start);
        }
        String num = number();
        return num == null ? null : FieldExpr.literal(num, start);
    }

    /** An optional {@code [arg]} after a field or a transformer call. */
    private String optionalFieldArg() {
        if (!atEnd() && peek() == '[') {
            pos++;
            return fieldArg();
        }
        return null;
    }

    private boolean consume(char c) {
        if (!atEnd() && peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** [a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+ ; null when not at one. */
    private String fieldName() {
        int start = pos;
        if (!segment()) {
            pos = start;
            return null;
        }
        int segments = 1;
        while (!atEnd() && peek() == '.') {
            int dot = pos;
            pos++;
            if (!segment()) {
                pos = dot;
                break;
            }
            segments++;
        }
        if (segments < 2) {
            pos = start;
            return null;
        }
        return text.substring(start, pos);
    }

    private boolean segment() {
        int start = pos;
        while (!atEnd() && isAsciiLetter(peek())) {
            pos++;
        }
        if (pos == start) {
            return false;
        }
        while (!atEnd() && (isAsciiLetter(peek()) || isDigit(peek()) || peek() == '_')) {
            pos++;
        }
        return true;
    }

    /** After '[': a quoted string or a bare argument (balanced brackets allowed), then ']'. */
    private String fieldArg() {
        if (!atEnd() && (peek() == '"' || peek() == '\'')) {
            String s = quoted();
            expect(']');
            return s;
        }
        int start = pos;
        int nesting = 0;
        while (!atEnd()) {
            char c = peek();
            if (c == '[') {
                nesting++;
            } else if (c == ']') {
                if (nesting == 0) {
                    break;
                }
                nesting--;
            } else if (c == '"' || c == '\'') {
                skipQuotedRaw();
                continue;
            } else if (isBlank(c) && nesting == 0) {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error("empty field argument");
        }
        String arg = text.substring(start, pos);
        expect(']');
        return arg;
    }

    private void skipQuotedRaw() {
        char q = peek();
        pos++;
        while (!atEnd() && peek() != q) {
            if (peek() == '\\') {
                pos++;
            }
            pos++;
        }
        if (atEnd()) {
            throw error("unterminated quoted string in field argument");
        }
        pos++;
    }

    /** [a-zA-Z]+[a-zA-Z0-9_]* ; null when not at one. */
    private String identifier() {
        int start = pos;
        if (!segment()) {
            pos = start;
            return null;
        }
        return text.substring(start, pos);
    }

    // ---- operators and values --------------------------------------------------------------------

    private Expr parseCondition(FieldExpr field, int start) {
        skipBlanks();
        int opPos = pos;
        if (text.startsWith("exists", pos)) {
            pos += 6;
            return new CheckExpr(field, "exists", null, null, null, null, start);
        }
        for (String op : NUM_OPS) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                skipBlanks();
                FieldExpr rhs = tryValueField();
                if (rhs != null) {
                    return new CheckExpr(field, op, null, null, null, rhs, start);
                }
                String num = number();
                if (num == null) {
                    throw error("operator '" + op + "' needs a number, found '" + excerpt() + "'");
                }
                return new CheckExpr(field, op, null, num, null, null, start);
            }
        }
        String op = null;
        for (String s : SYMBOL_STR_OPS) {
            if (text.startsWith(s, pos)) {
                op = s;
                break;
            }
        }
        if (op == null) {
            for (String s : WORD_STR_OPS) {
                if (text.startsWith(s, pos) && pos + s.length() < text.length()
                    && isBlank(text.charAt(pos + s.length()))) {
                    op = s;
                    break;
                }
            }
        }
        if (op != null) {
            pos += op.length();
            boolean blankAfterOp = !atEnd() && isBlank(peek());
            skipBlanks();
            String modifier = blankAfterOp ? modifier() : null;
            if (modifier != null) {
                List<String> items = listValue();
                return new CheckExpr(field, op, modifier, null, items, null, start);
            }
            FieldExpr rhs = tryValueField();
            if (rhs != null) {
                return new CheckExpr(field, op, null, null, null, rhs, start);
            }
            int valuePos = pos;
            boolean quotedValue = !atEnd() && (peek() == '"' || peek() == '\'');
            String value = strValue();
            if (value == null) {
                throw error("operator '" + op + "' needs a value, found '" + excerpt() + "'");
            }
            List<String> listItems = quotedValue ? null : lists.items(value);
            if (listItems != null) {
                // Falco substitutes list names everywhere in the text, so 'field = my_list' compares with the item
                if (listItems.size() != 1) {
                    throw new ConditionSyntaxException("list '" + value + "' stands for " + listItems.size()
                        + " items where operator '" + op + "' takes one value", valuePos);
                }
                value = listItems.get(0);
            }
            return new CheckExpr(field, op, null, value, null, null, start);
        }
        for (String s : LIST_OPS) {
            if (text.startsWith(s, pos) && (pos + s.length() >= text.length()
                || !isIdentChar(text.charAt(pos + s.length())))) {
                pos += s.length();
                skipBlanks();
                FieldExpr rhs = tryValueField();
                if (rhs != null) {
                    return new CheckExpr(field, s, null, null, null, rhs, start);
                }
                List<String> items = listValue();
                return new CheckExpr(field, s, null, null, items, null, start);
            }
        }
        pos = opPos;
        if (atEnd()) {
            throw error("missing operator after field '" + field.text() + "'");
        }
        int wordEnd = pos;
        while (wordEnd < text.length() && !isBlank(text.charAt(wordEnd)) && text.charAt(wordEnd) != '(') {
            wordEnd++;
        }
        throw error("unknown operator after field '" + field.text() + "': '" + excerpt() + "'"
            + Suggestions.didYouMean(text.substring(pos, wordEnd), OPERATOR_NAMES));
    }

    private String modifier() {
        for (String m : MODIFIERS) {
            if (text.startsWith(m, pos) && pos + m.length() < text.length() && isBlank(text.charAt(pos + m.length()))) {
                int end = pos + m.length();
                int q = end;
                while (q < text.length() && isBlank(text.charAt(q))) {
                    q++;
                }
                if (q < text.length() && (text.charAt(q) == '(' || isAsciiLetter(text.charAt(q)))
                    && !nextWordIsKeyword(q)) {
                    pos = q;
                    return m;
                }
            }
        }
        return null;
    }

    private boolean nextWordIsKeyword(int q) {
        for (String k : new String[] {"and", "or", "not"}) {
            if (text.startsWith(k, q) && (q + k.length() >= text.length() || !isIdentChar(text.charAt(q + k.length())))) {
                return true;
            }
        }
        return false;
    }

    /** val(field) or a transformer call on the right-hand side; null (position kept) otherwise. */
    private FieldExpr tryValueField() {
        int start = pos;
        if (text.startsWith("val(", pos)) {
            pos += 4;
            skipBlanks();
            int fieldStart = pos;
            String name = fieldName();
            if (name == null) {
                throw error("expecting a field inside val(...)");
            }
            String arg = null;
            if (!atEnd() && peek() == '[') {
                pos++;
                arg = fieldArg();
            }
            FieldExpr f = FieldExpr.field(name, arg, fieldStart);
            skipBlanks();
            expect(')');
            if (!atEnd() && peek() == '[') {
                throw error("transformer 'val' does not support field arguments");
            }
            return f;
        }
        String id = identifier();
        if (id != null && !atEnd() && peek() == '(' && TRANSFORMERS.contains(id)) {
            pos = start;
            return tryFieldOrTransformer();
        }
        pos = start;
        return null;
    }

    /** '(' StrValue (',' StrValue)* ')' | '()' | Identifier (a list name). */
    private List<String> listValue() {
        List<String> items = new ArrayList<>();
        if (!atEnd() && peek() == '(') {
            pos++;
            skipBlanks();
            if (!atEnd() && peek() == ')') {
                pos++;
                return items;
            }
            while (true) {
                skipBlanks();
                boolean quoted = !atEnd() && (peek() == '"' || peek() == '\'');
                String v = strValue();
                if (v == null) {
                    throw error("expecting a list item, found '" + excerpt() + "'");
                }
                addItem(items, v, quoted);
                skipBlanks();
                if (!atEnd() && peek() == ',') {
                    pos++;
                    continue;
                }
                expect(')');
                return items;
            }
        }
        String id = identifier();
        if (id == null) {
            throw error("expecting a list '(...)' or a list name, found '" + excerpt() + "'");
        }
        addItem(items, id, false);
        return items;
    }

    private void addItem(List<String> items, String v, boolean quoted) {
        List<String> list = quoted ? null : lists.items(v);
        if (list != null) {
            items.addAll(list);
        } else {
            items.add(v);
        }
    }

    private String strValue() {
        if (atEnd()) {
            return null;
        }
        char c = peek();
        if (c == '"' || c == '\'') {
            return quoted();
        }
        int start = pos;
        while (!atEnd()) {
            c = peek();
            if (c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',' || isBlank(c)) {
                break;
            }
            pos++;
        }
        return pos == start ? null : text.substring(start, pos);
    }

    /** HexNumber | [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)? ; null when not at one. */
    private String number() {
        int start = pos;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            pos += 2;
            int digits = pos;
            while (!atEnd() && Character.digit(peek(), 16) >= 0) {
                pos++;
            }
            if (pos > digits) {
                return text.substring(start, pos);
            }
            pos = start;
        }
        if (!atEnd() && (peek() == '+' || peek() == '-')) {
            pos++;
        }
        int digits = pos;
        while (!atEnd() && isDigit(peek())) {
            pos++;
        }
        if (pos == digits) {
            pos = start;
            return null;
        }
        if (!atEnd() && peek() == '.') {
            pos++;
            while (!atEnd() && isDigit(peek())) {
                pos++;
            }
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E') && pos + 2 < text.length()
            && (text.charAt(pos + 1) == '+' || text.charAt(pos + 1) == '-') && isDigit(text.charAt(pos + 2))) {
            pos += 2;
            while (!atEnd() && isDigit(peek())) {
                pos++;
            }
        }
        return text.substring(start, pos);
    }

    /**
     * A quoted string as libs lexes it (parser.cpp {@code lex_quoted_str}): it ends at the first quote of its kind
     * that does not follow a backslash, so {@code 'a \\'b'} is one string; the text between the quotes is then
     * unescaped as {@code escaping.cpp unescape_str} does.
     */
    private String quoted() {
        char q = peek();
        int start = pos;
        int i = pos;
        char prev = '\\'; // the opening quote is skipped as if it were escaped
        while (true) {
            if (i >= text.length()) {
                throw new ConditionSyntaxException("unterminated quoted string", start);
            }
            char c = text.charAt(i);
            if (c == q && prev != '\\') {
                break;
            }
            prev = c;
            i++;
        }
        String body = text.substring(start + 1, i);
        pos = i + 1;
        return unescape(body, q, start);
    }

    private static String unescape(String body, char q, int start) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= body.length()) {
                throw new ConditionSyntaxException("unterminated escape in quoted string", start);
            }
            char e = body.charAt(i);
            switch (e) {
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case ' ': // legacy: libs reads a backslash-blank as one backslash and drops the blank
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case '"':
                case '\'':
                    if (e != q) {
                        throw new ConditionSyntaxException("invalid \\" + e + " escape in a " + q + "-quoted string",
                            start);
                    }
                    sb.append(e);
                    break;
                case 'x': {
                    if (i + 2 >= body.length() || Character.digit(body.charAt(i + 1), 16) < 0
                        || Character.digit(body.charAt(i + 2), 16) < 0) {
                        throw new ConditionSyntaxException("invalid \\x escape in quoted string: needs two hex digits",
                            start);
                    }
                    sb.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
                    i += 2;
                    break;
                }
                default:
                    throw new ConditionSyntaxException("unsupported string escape sequence: \\" + e, start);
            }
        }
        return sb.toString();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("condition nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char c) {
        if (atEnd() || peek() != c) {
            throw error("expecting '" + c + "' but found " + (atEnd() ? "end of condition" : "'" + excerpt() + "'"));
        }
        pos++;
    }

    private void skipBlanks() {
        while (!atEnd() && isBlank(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private String excerpt() {
        int end = Math.min(text.length(), pos + 20);
        return text.substring(pos, end);
    }

    private String before() {
        int start = Math.max(0, pos - 30);
        return text.substring(start, pos).trim();
    }

    private ConditionSyntaxException error(String message) {
        return new ConditionSyntaxException(message, pos);
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentChar(char c) {
        return isAsciiLetter(c) || isDigit(c) || c == '_';
    }
}
