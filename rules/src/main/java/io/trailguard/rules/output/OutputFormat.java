package io.trailguard.rules.output;

import io.trailguard.rules.condition.ConditionCompiler;
import io.trailguard.rules.condition.ConditionParser;
import io.trailguard.rules.condition.ConditionSyntaxException;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.ValueLookup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled Falco output format: literal text and {@code %field}, {@code %field[arg]}, {@code %NNfield}
 * (pad or truncate to NN characters) and {@code %transformer(field)} tokens. The token is the longest prefix after
 * '%' that is a known field. Absent values print {@code <NA>}. Values are inserted as they are: a '%' inside an
 * event value is never expanded again. A '%' not followed by a field is a load error (Falco has no '%%').
 */
public final class OutputFormat {
    public static final String NOT_AVAILABLE = "<NA>";

    private final String template;
    private final Object[] parts; // String literal or Token
    private final List<FieldRef> fields;

    private OutputFormat(String template, Object[] parts, List<FieldRef> fields) {
        this.template = template;
        this.parts = parts;
        this.fields = fields;
    }

    /** @throws ConditionSyntaxException naming the offset of a bad token */
    public static OutputFormat compile(String template, ConditionCompiler compiler) {
        List<Object> parts = new ArrayList<>();
        List<FieldRef> fields = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = template.length();
        int[] end = new int[1];
        while (i < n) {
            char c = template.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            int start = i;
            int j = i + 1;
            int width = 0;
            while (j < n && Character.isDigit(template.charAt(j)) && width < 10_000) {
                width = width * 10 + (template.charAt(j) - '0');
                j++;
            }
            FieldRef ref = null;
            FieldExpr f = ConditionParser.fieldAt(template, j, end);
            while (f != null && ref == null) {
                try {
                    ref = compiler.field(f);
                } catch (ConditionSyntaxException e) {
                    // Falco takes the longest prefix that is a field: drop the last dotted segment and retry
                    String shorter = f.isTransformed() || f.arg() != null ? null
                            : f.name().substring(0, f.name().lastIndexOf('.'));
                    if (shorter == null || shorter.indexOf('.') < 0) {
                        throw new ConditionSyntaxException("invalid output format: " + e.getMessage(), start,
                                e.unknownField());
                    }
                    f = FieldExpr.field(shorter, null, j);
                    end[0] = j + shorter.length();
                }
            }
            if (ref == null) {
                int tokenEnd = j;
                while (tokenEnd < n && !Character.isWhitespace(template.charAt(tokenEnd))) {
                    tokenEnd++;
                }
                throw new ConditionSyntaxException("invalid output format: '%' at offset " + start
                        + " is not followed by a known field (invalid formatting token "
                        + template.substring(j, tokenEnd) + ")", start);
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(new Token(ref, width));
            if (!fields.contains(ref)) {
                fields.add(ref);
            }
            i = end[0];
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new OutputFormat(template, parts.toArray(), List.copyOf(fields));
    }

    /**
     * A format assembled from parts instead of parsed from a Falco template, for dialects that do not write one
     * (Sigma rules): {@code parts} holds literal {@code String}s and {@link FieldRef} tokens, printed in order;
     * {@code extraFields} are reported in output_fields after the printed fields without being printed. The
     * {@link #template()} text shows each token as {@code %name}.
     */
    public static OutputFormat of(List<?> parts, List<FieldRef> extraFields) {
        List<Object> compiled = new ArrayList<>();
        List<FieldRef> fields = new ArrayList<>();
        StringBuilder template = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String) {
                compiled.add(p);
                template.append((String) p);
            } else if (p instanceof FieldRef) {
                FieldRef ref = (FieldRef) p;
                compiled.add(new Token(ref, 0));
                template.append('%').append(ref.name());
                if (!fields.contains(ref)) {
                    fields.add(ref);
                }
            } else {
                throw new IllegalArgumentException("output parts are Strings and FieldRefs, not " + p);
            }
        }
        for (FieldRef ref : extraFields) {
            if (!fields.contains(ref)) {
                fields.add(ref);
            }
        }
        return new OutputFormat(template.toString(), compiled.toArray(), List.copyOf(fields));
    }

    public String template() {
        return template;
    }

    /** The fields the format prints, in order of first appearance. */
    public List<FieldRef> fields() {
        return fields;
    }

    public String format(ValueLookup ctx) {
        StringBuilder sb = new StringBuilder(template.length() + 64);
        for (Object part : parts) {
            if (part instanceof String) {
                sb.append((String) part);
            } else {
                Token t = (Token) part;
                String v = render(ctx.value(t.ref));
                if (t.width > 0) {
                    if (v.length() > t.width) {
                        v = v.substring(0, t.width);
                    } else {
                        StringBuilder padded = new StringBuilder(v);
                        while (padded.length() < t.width) {
                            padded.append(' ');
                        }
                        v = padded.toString();
                    }
                }
                sb.append(v);
            }
        }
        return sb.toString();
    }

    /** output_fields: every printed field's value (null when absent). */
    public Map<String, Object> fieldValues(ValueLookup ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (FieldRef f : fields) {
            m.put(f.name(), ctx.value(f));
        }
        return m;
    }

    /** The printed text of a value: {@code <NA>} when absent, lists as {@code (a,b)} like Falco. */
    public static String render(Object v) {
        if (v == null) {
            return NOT_AVAILABLE;
        }
        if (v instanceof List) {
            return "(" + String.join(",", castList(v)) + ")";
        }
        return v.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object v) {
        return (List<String>) v;
    }

    private static final class Token {
        final FieldRef ref;
        final int width;

        Token(FieldRef ref, int width) {
            this.ref = ref;
            this.width = width;
        }
    }
}
