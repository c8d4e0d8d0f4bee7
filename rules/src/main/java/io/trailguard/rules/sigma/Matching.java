package io.trailguard.rules.sigma;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.text.CaseFold;
import io.trailguard.rules.text.CaseInsensitive;
import io.trailguard.rules.text.RequiredLiteral;
import io.trailguard.rules.text.StarPattern;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles modified Sigma values into tests over the values a field path found in an event, all in linear time:
 * plain strings compare case-folded texts ({@link CaseFold}) with equals/startsWith/endsWith/contains, other
 * wildcard patterns and {@code re} use RE2/J. Every test has any-member semantics: it holds when some value of
 * the field satisfies it; a missing field satisfies nothing (except {@code null}, {@code exists: false} and a
 * negated item).
 */
final class Matching {
    private Matching() {}

    /** A test of one modified value against a field's values ({@code null} when the field is absent). */
    interface ValueTest {
        boolean test(SigmaValues values, EvaluationContext ctx);
    }

    /** A detection item: a field (or every value of the record, for keywords) and its linked value tests. */
    static final class Item implements Condition {
        private final FieldRef field;
        private final ValueTest[] tests;
        private final boolean all;
        private final boolean negated;

        Item(FieldRef field, List<ValueTest> tests, boolean all, boolean negated) {
            this.field = field;
            this.tests = tests.toArray(new ValueTest[0]);
            this.all = all;
            this.negated = negated;
        }

        @Override
        public boolean test(EvaluationContext ctx) {
            SigmaValues v = (SigmaValues) ctx.value(field);
            boolean r;
            if (all) {
                r = true;
                for (ValueTest t : tests) {
                    if (!t.test(v, ctx)) {
                        r = false;
                        break;
                    }
                }
            } else {
                r = false;
                for (ValueTest t : tests) {
                    if (t.test(v, ctx)) {
                        r = true;
                        break;
                    }
                }
            }
            return negated != r;
        }
    }

    static ValueTest compile(SigmaValue v, FieldTable fields) {
        if (v instanceof SigmaString) {
            return string((SigmaString) v);
        }
        if (v instanceof SigmaValue.Num) {
            return number((SigmaValue.Num) v);
        }
        if (v instanceof SigmaValue.Bool) {
            String t = ((SigmaValue.Bool) v).value ? "true" : "false";
            return (vals, ctx) -> {
                if (vals != null) {
                    for (int i = 0; i < vals.size(); i++) {
                        if (t.equals(vals.folded(i))) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        if (v instanceof SigmaValue.Null) {
            return (vals, ctx) -> vals == null || vals.hasNull();
        }
        if (v instanceof SigmaValue.Exists) {
            boolean want = ((SigmaValue.Exists) v).exists;
            return (vals, ctx) -> (vals != null) == want;
        }
        if (v instanceof SigmaValue.Regex) {
            return regex((SigmaValue.Regex) v);
        }
        if (v instanceof SigmaValue.Cidr) {
            IpNetwork net = ((SigmaValue.Cidr) v).network;
            return (vals, ctx) -> {
                if (vals != null) {
                    for (String s : vals) {
                        if (s != null && net.contains(s)) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        if (v instanceof SigmaValue.Compare) {
            return compare((SigmaValue.Compare) v);
        }
        if (v instanceof SigmaValue.DatePart) {
            SigmaValue.DatePart d = (SigmaValue.DatePart) v;
            return compare(new SigmaValue.Compare("eq", d.number, d.part));
        }
        if (v instanceof SigmaValue.FieldRef) {
            return fieldRef((SigmaValue.FieldRef) v, fields);
        }
        if (v instanceof SigmaValue.Expansion) {
            List<ValueTest> inner = new ArrayList<>();
            for (SigmaValue x : ((SigmaValue.Expansion) v).values) {
                inner.add(compile(x, fields));
            }
            ValueTest[] any = inner.toArray(new ValueTest[0]);
            return (vals, ctx) -> {
                for (ValueTest t : any) {
                    if (t.test(vals, ctx)) {
                        return true;
                    }
                }
                return false;
            };
        }
        throw new IllegalStateException("no test for " + v);
    }

    // ---- strings ----------------------------------------------------------------------------------

    /** How a wildcard string is matched: the cheapest exact form, else an anchored RE2 pattern. */
    enum Kind { EXACT, PREFIX, SUFFIX, CONTAINS, ANY, STAR, PATTERN }

    static final class StringTest implements ValueTest {
        final Kind kind;
        final String literal;
        final Pattern pattern;
        final StarPattern star;
        final boolean cased;
        /**
         * Case-insensitive with an ASCII literal (or ASCII star segments): the raw text is compared with
         * {@link CaseInsensitive}, which gives the answer the folded text would, without folding it.
         */
        final boolean unfolded;

        StringTest(Kind kind, String literal, Pattern pattern, boolean cased) {
            this(kind, literal, pattern, null, cased);
        }

        StringTest(Kind kind, String literal, Pattern pattern, StarPattern star, boolean cased) {
            this.kind = kind;
            this.literal = literal;
            this.pattern = pattern;
            this.star = star;
            this.cased = cased;
            this.unfolded = !cased && (kind == Kind.STAR || kind != Kind.PATTERN && CaseInsensitive.isAscii(literal));
        }

        @Override
        public boolean test(SigmaValues vals, EvaluationContext ctx) {
            if (vals == null) {
                return false;
            }
            for (int i = 0; i < vals.size(); i++) {
                if (unfolded) {
                    String t = vals.get(i);
                    if (t != null && matchesIgnoringCase(t)) {
                        return true;
                    }
                    continue;
                }
                String t = cased ? vals.get(i) : vals.folded(i);
                if (t != null && matches(t)) {
                    return true;
                }
            }
            return false;
        }

        /** {@link #matches} of the folded text, computed on the raw text (ASCII literals only). */
        boolean matchesIgnoringCase(String t) {
            switch (kind) {
                case EXACT:
                    return CaseInsensitive.equals(t, literal);
                case PREFIX:
                    return CaseInsensitive.startsWith(t, literal);
                case SUFFIX:
                    return CaseInsensitive.endsWith(t, literal);
                case CONTAINS:
                    return CaseInsensitive.indexOf(t, literal) >= 0;
                case ANY:
                    return true;
                case STAR:
                    return star.matches(t);
                default:
                    throw new IllegalStateException("no unfolded test for " + kind);
            }
        }

        boolean matches(String t) {
            switch (kind) {
                case EXACT:
                    return t.equals(literal);
                case PREFIX:
                    return t.startsWith(literal);
                case SUFFIX:
                    return t.endsWith(literal);
                case CONTAINS:
                    return t.contains(literal);
                case ANY:
                    return true;
                case STAR:
                    return star.matches(t);
                default:
                    return pattern.matches(t);
            }
        }
    }

    static StringTest string(SigmaString s) {
        List<Object> p = s.parts;
        int n = p.size();
        if (n == 0) {
            return new StringTest(Kind.EXACT, "", null, s.cased);
        }
        boolean middleLiteral = true;
        for (int i = 0; i < n; i++) {
            Object x = p.get(i);
            boolean edge = i == 0 || i == n - 1;
            if (!(x instanceof String) && !(edge && x == SigmaString.Special.MULTI)) {
                middleLiteral = false;
            }
        }
        if (middleLiteral) {
            boolean lead = p.get(0) == SigmaString.Special.MULTI;
            boolean trail = n > 1 && p.get(n - 1) == SigmaString.Special.MULTI;
            int literals = n - (lead ? 1 : 0) - (trail ? 1 : 0);
            if (literals == 0) {
                return new StringTest(Kind.ANY, "", null, s.cased);
            }
            if (literals == 1) {
                String lit = s.foldIfNeeded((String) p.get(lead ? 1 : 0));
                Kind k = lead && trail ? Kind.CONTAINS : lead ? Kind.SUFFIX : trail ? Kind.PREFIX : Kind.EXACT;
                return new StringTest(k, lit, null, s.cased);
            }
        }
        List<String> segments = starSegments(s);
        StarPattern star = segments == null ? null : StarPattern.of(segments, !s.cased);
        if (star != null) {
            // cased: compared as is; not cased: ASCII segments (already folded) against the raw text ignoring case
            return new StringTest(Kind.STAR, null, null, star, s.cased);
        }
        StringBuilder re = new StringBuilder("(?s)");
        for (Object x : p) {
            if (x instanceof String) {
                quote(s.foldIfNeeded((String) x), re);
            } else if (x == SigmaString.Special.MULTI) {
                re.append(".*");
            } else if (x == SigmaString.Special.SINGLE) {
                re.append('.');
            } else if (x == SigmaString.Special.DASH) {
                re.append("[\\-/\\x{2013}\\x{2014}\\x{2015}]");
            } else {
                throw new IllegalStateException("unresolved placeholder");
            }
        }
        return new StringTest(Kind.PATTERN, null, Pattern.compile(re.toString()), s.cased);
    }

    /** The (folded) literals between the '*' wildcards when there is no other placeholder, else null. */
    private static List<String> starSegments(SigmaString s) {
        List<String> segments = new ArrayList<>();
        StringBuilder seg = new StringBuilder();
        for (Object x : s.parts) {
            if (x instanceof String) {
                seg.append(s.foldIfNeeded((String) x));
            } else if (x == SigmaString.Special.MULTI) {
                segments.add(seg.toString());
                seg.setLength(0);
            } else {
                return null;
            }
        }
        segments.add(seg.toString());
        return segments;
    }

    private static void quote(String lit, StringBuilder re) {
        for (int i = 0; i < lit.length(); ) {
            int cp = lit.codePointAt(i);
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == ' '
                    || cp == '_') {
                re.appendCodePoint(cp);
            } else {
                re.append("\\x{").append(Integer.toHexString(cp)).append('}');
            }
            i += Character.charCount(cp);
        }
    }

    // ---- numbers, regexes, dates, field references --------------------------------------------------

    /** A plain decimal number (JSON or YAML style), or null. */
    static BigDecimal parseNumber(String t) {
        if (t == null || t.isEmpty() || t.length() > 100) {
            return null;
        }
        char c = t.charAt(0);
        if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A YAML number: equal as a number, or equal (ignoring case) to its canonical text. */
    private static ValueTest number(SigmaValue.Num n) {
        BigDecimal value = n.value;
        String text = CaseFold.fold(JsonText.number(value));
        return (vals, ctx) -> {
            if (vals == null) {
                return false;
            }
            for (int i = 0; i < vals.size(); i++) {
                String t = vals.get(i);
                if (t == null) {
                    continue;
                }
                BigDecimal d = parseNumber(t.trim());
                if ((d != null && d.compareTo(value) == 0) || text.equals(vals.folded(i))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static ValueTest regex(SigmaValue.Regex r) {
        int flags = (r.ignoreCase ? Pattern.CASE_INSENSITIVE : 0) | (r.multiline ? Pattern.MULTILINE : 0)
                | (r.dotAll ? Pattern.DOTALL : 0);
        Pattern p;
        try {
            p = Pattern.compile(r.regex, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression '" + r.regex + "': " + e.getDescription()
                    + " (RE2 syntax: no backreferences or lookaround)");
        }
        String required = r.ignoreCase ? null : RequiredLiteral.of(r.regex);
        return (vals, ctx) -> {
            if (vals != null) {
                for (String s : vals) {
                    if (s != null && (required == null || s.contains(required)) && p.matcher(s).find()) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private static ValueTest compare(SigmaValue.Compare c) {
        return (vals, ctx) -> {
            if (vals == null) {
                return false;
            }
            for (String s : vals) {
                BigDecimal d = c.part == null ? parseNumber(s == null ? null : s.trim()) : datePart(s, c.part);
                if (d != null && holds(c.op, d.compareTo(c.number))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean holds(String op, int cmp) {
        switch (op) {
            case "lt":
                return cmp < 0;
            case "lte":
                return cmp <= 0;
            case "gt":
                return cmp > 0;
            case "gte":
                return cmp >= 0;
            default:
                return cmp == 0;
        }
    }

    /** A part of an ISO-8601 date (UTC when it has no offset; converted to UTC when it has one), or null. */
    static BigDecimal datePart(String s, SigmaValue.TimePart part) {
        if (s == null) {
            return null;
        }
        ZonedDateTime t;
        String v = s.trim();
        try {
            t = Instant.parse(v).atZone(ZoneOffset.UTC);
        } catch (DateTimeParseException e1) {
            try {
                t = OffsetDateTime.parse(v).atZoneSameInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    t = LocalDateTime.parse(v.replace(' ', 'T')).atZone(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
        switch (part) {
            case MINUTE:
                return BigDecimal.valueOf(t.getMinute());
            case HOUR:
                return BigDecimal.valueOf(t.getHour());
            case DAY:
                return BigDecimal.valueOf(t.getDayOfMonth());
            case WEEK:
                return BigDecimal.valueOf(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH:
                return BigDecimal.valueOf(t.getMonthValue());
            default:
                return BigDecimal.valueOf(t.getYear());
        }
    }

    /**
     * {@code fieldref}: some value of the field equals (ignoring case) some value of the referenced field, or
     * starts/ends with/contains it when chained with startswith/endswith/contains; no match when the referenced
     * field is absent.
     */
    private static ValueTest fieldRef(SigmaValue.FieldRef f, FieldTable fields) {
        FieldRef other = pathRef(fields, f.path);
        return (vals, ctx) -> {
            if (vals == null) {
                return false;
            }
            SigmaValues o = (SigmaValues) ctx.value(other);
            if (o == null) {
                return false;
            }
            for (int i = 0; i < vals.size(); i++) {
                String a = vals.folded(i);
                if (a == null) {
                    continue;
                }
                for (int j = 0; j < o.size(); j++) {
                    String b = o.folded(j);
                    if (b == null) {
                        continue;
                    }
                    boolean ok;
                    if (f.startsWith && f.endsWith) {
                        ok = a.contains(b);
                    } else if (f.startsWith) {
                        ok = a.startsWith(b);
                    } else if (f.endsWith) {
                        ok = a.endsWith(b);
                    } else {
                        ok = a.equals(b);
                    }
                    if (ok) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    static FieldRef pathRef(FieldTable fields, String path) {
        return fields.ref(SigmaPathField.canonicalName(path), () -> new SigmaPathField(path));
    }

    static FieldRef keywordRef(FieldTable fields) {
        return fields.ref(SigmaKeywordField.CANONICAL_NAME, SigmaKeywordField::new);
    }
}
