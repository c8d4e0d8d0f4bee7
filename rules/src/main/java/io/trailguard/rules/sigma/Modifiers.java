package io.trailguard.rules.sigma;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Applies a detection item's modifier chain, left to right, as pySigma does: value modifiers transform each
 * value (an {@link SigmaValue.Expansion} is transformed member by member), list modifiers ({@code all},
 * {@code neq}) change how the item links its values. Type mismatches and forbidden chains are load errors.
 */
final class Modifiers {
    /** Every modifier Trailguard understands, with what it does (for documentation and error messages). */
    static final Map<String, String> KNOWN = new TreeMap<>();

    static {
        KNOWN.put("contains", "match anywhere in the value");
        KNOWN.put("startswith", "match at the start");
        KNOWN.put("endswith", "match at the end");
        KNOWN.put("all", "AND the values instead of OR");
        KNOWN.put("re", "regular expression (RE2 syntax, unanchored search)");
        KNOWN.put("i", "re flag: ignore case");
        KNOWN.put("ignorecase", "re flag: ignore case");
        KNOWN.put("m", "re flag: multi-line");
        KNOWN.put("multiline", "re flag: multi-line");
        KNOWN.put("s", "re flag: dot matches newline");
        KNOWN.put("dotall", "re flag: dot matches newline");
        KNOWN.put("cidr", "IPv4/IPv6 network");
        KNOWN.put("exists", "field presence (true/false)");
        KNOWN.put("fieldref", "compare with another field of the event");
        KNOWN.put("neq", "the field differs from every value");
        KNOWN.put("lt", "numeric less than");
        KNOWN.put("lte", "numeric less than or equal");
        KNOWN.put("gt", "numeric greater than");
        KNOWN.put("gte", "numeric greater than or equal");
        KNOWN.put("cased", "case-sensitive match");
        KNOWN.put("windash", "- / – — ― are interchangeable at option positions");
        KNOWN.put("base64", "the value base64-encoded");
        KNOWN.put("base64offset", "the value base64-encoded at the three byte offsets");
        KNOWN.put("utf16le", "the value as UTF-16LE bytes");
        KNOWN.put("wide", "the value as UTF-16LE bytes");
        KNOWN.put("utf16be", "the value as UTF-16BE bytes");
        KNOWN.put("utf16", "the value as UTF-16LE bytes after a FF FE mark");
        KNOWN.put("expand", "resolve %placeholders% (rejected: Trailguard has no placeholder values)");
        KNOWN.put("minute", "the minute of a date (0-59)");
        KNOWN.put("hour", "the hour of a date (0-23)");
        KNOWN.put("day", "the day of the month of a date (1-31)");
        KNOWN.put("week", "the ISO week of a date (1-53)");
        KNOWN.put("month", "the month of a date (1-12)");
        KNOWN.put("year", "the year of a date");
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("(?<!\\\\)%([^%]+)%");

    /** The modified values and item flags. */
    static final class Result {
        List<SigmaValue> values;
        boolean all;
        boolean negated;
    }

    private Modifiers() {}

    /**
     * @param keyword    true for a keyword item (no field)
     * @param error      builds the load error for a message (positioned at the item's key)
     * @param skip       builds the skip (reject) signal for a message
     */
    static Result apply(List<SigmaValue> values, List<String> modifiers, boolean keyword,
                        java.util.function.Function<String, RuntimeException> error,
                        java.util.function.Function<String, RuntimeException> skip) {
        Result r = new Result();
        r.values = values;
        List<String> applied = new ArrayList<>();
        for (String raw : modifiers) {
            String m = raw;
            if (!KNOWN.containsKey(m)) {
                throw error.apply("unknown modifier '" + raw + "'"
                        + io.trailguard.rules.text.Suggestions.didYouMean(raw, KNOWN.keySet())
                        + " (known: " + String.join(", ", KNOWN.keySet()) + ")");
            }
            switch (m) {
                case "all":
                    r.all = true;
                    break;
                case "neq":
                    r.negated = true;
                    break;
                default: {
                    List<SigmaValue> out = new ArrayList<>();
                    for (SigmaValue v : r.values) {
                        out.addAll(applyValue(m, v, applied, keyword, error, skip));
                    }
                    r.values = out;
                }
            }
            applied.add(m);
        }
        return r;
    }

    private static List<SigmaValue> applyValue(String m, SigmaValue v, List<String> applied, boolean keyword,
                                               java.util.function.Function<String, RuntimeException> error,
                                               java.util.function.Function<String, RuntimeException> skip) {
        if (v instanceof SigmaValue.Expansion) {
            List<SigmaValue> inner = new ArrayList<>();
            for (SigmaValue x : ((SigmaValue.Expansion) v).values) {
                inner.addAll(applyValue(m, x, applied, keyword, error, skip));
            }
            return List.of(new SigmaValue.Expansion(inner));
        }
        switch (m) {
            case "contains":
            case "startswith":
            case "endswith":
                return List.of(wildcards(m, v, error));
            case "re":
                if (!applied.isEmpty()) {
                    throw error.apply("'re' only applies to unmodified values (it follows " + applied + ")");
                }
                if (!(v instanceof SigmaString)) {
                    throw error.apply("'re' needs a string value, not " + v);
                }
                return List.of(new SigmaValue.Regex(((SigmaString) v).original, false, false, false));
            case "i":
            case "ignorecase":
            case "m":
            case "multiline":
            case "s":
            case "dotall": {
                if (!(v instanceof SigmaValue.Regex)) {
                    throw error.apply("modifier '" + m + "' is a flag of 're' and must follow it");
                }
                SigmaValue.Regex re = (SigmaValue.Regex) v;
                boolean i = re.ignoreCase || m.startsWith("i");
                boolean ml = re.multiline || m.startsWith("m");
                boolean s = re.dotAll || m.equals("s") || m.equals("dotall");
                return List.of(new SigmaValue.Regex(re.regex, i, ml, s));
            }
            case "cidr": {
                if (!applied.isEmpty()) {
                    throw error.apply("'cidr' only applies to unmodified values (it follows " + applied + ")");
                }
                if (!(v instanceof SigmaString) || ((SigmaString) v).hasSpecial()) {
                    throw error.apply("'cidr' needs a network such as 10.0.0.0/8, not " + v);
                }
                IpNetwork net = IpNetwork.parse(((SigmaString) v).plain());
                if (net == null) {
                    throw error.apply("invalid CIDR network " + v);
                }
                if (net.hasHostBits()) {
                    throw error.apply("invalid CIDR network " + v + ": it has host bits set (did you mean "
                            + net.networkText() + "?)");
                }
                return List.of(new SigmaValue.Cidr(net));
            }
            case "cased":
                if (!(v instanceof SigmaString)) {
                    throw error.apply("'cased' needs a string value, not " + v);
                }
                return List.of(((SigmaString) v).withCased());
            case "exists":
                if (keyword) {
                    throw error.apply("'exists' must be applied to a field");
                }
                if (!applied.isEmpty()) {
                    throw error.apply("'exists' only applies to unmodified values");
                }
                if (!(v instanceof SigmaValue.Bool)) {
                    throw error.apply("'exists' needs true or false, not " + v);
                }
                return List.of(new SigmaValue.Exists(((SigmaValue.Bool) v).value));
            case "fieldref":
                if (keyword) {
                    throw error.apply("'fieldref' must be applied to a field");
                }
                if (!(v instanceof SigmaString)) {
                    throw error.apply("'fieldref' needs a field name, not " + v);
                }
                if (((SigmaString) v).hasSpecial()) {
                    throw error.apply("field references must not contain wildcards: " + v);
                }
                return List.of(new SigmaValue.FieldRef(((SigmaString) v).plain(), false, false));
            case "lt":
            case "lte":
            case "gt":
            case "gte": {
                if (v instanceof SigmaValue.DatePart) {
                    SigmaValue.DatePart d = (SigmaValue.DatePart) v;
                    return List.of(new SigmaValue.Compare(m, d.number, d.part));
                }
                BigDecimal n = number(v);
                if (n == null) {
                    throw error.apply("'" + m + "' needs a number, not " + describe(v));
                }
                return List.of(new SigmaValue.Compare(m, n, null));
            }
            case "minute":
            case "hour":
            case "day":
            case "week":
            case "month":
            case "year": {
                BigDecimal n = number(v);
                if (n == null || n.stripTrailingZeros().scale() > 0) {
                    throw error.apply("'" + m + "' needs a whole number, not " + describe(v));
                }
                return List.of(new SigmaValue.DatePart(SigmaValue.TimePart.valueOf(m.toUpperCase(Locale.ROOT)), n));
            }
            case "windash":
                return List.of(Encodings.windash(string(m, v, error)));
            case "base64":
            case "base64offset": {
                SigmaString s = string(m, v, error);
                if (s.hasWildcard() || s.hasPlaceholder()) {
                    throw error.apply("'" + m + "' cannot encode a value with wildcards: " + s);
                }
                List<SigmaValue> out = new ArrayList<>();
                for (SigmaString variant : variants(s, error)) {
                    if (m.equals("base64")) {
                        out.add(SigmaString.literal(Encodings.base64(variant.bytes()), false));
                    } else {
                        List<SigmaValue> shifted = new ArrayList<>();
                        for (String enc : Encodings.base64Offsets(variant.bytes())) {
                            shifted.add(SigmaString.literal(enc, false));
                        }
                        out.add(new SigmaValue.Expansion(shifted));
                    }
                }
                return out.size() == 1 ? out : List.of(new SigmaValue.Expansion(out));
            }
            case "utf16le":
            case "wide":
            case "utf16be":
            case "utf16": {
                SigmaString s = string(m, v, error);
                List<SigmaValue> out = new ArrayList<>();
                for (SigmaString variant : variants(s, error)) {
                    out.add(utf16(m, variant));
                }
                return out.size() == 1 ? out : List.of(new SigmaValue.Expansion(out));
            }
            case "expand":
                return List.of(expand(v, error, skip));
            default:
                throw error.apply("unknown modifier '" + m + "'");
        }
    }

    /** A value as a type error names it: a string in quotes, so that {@code '123'} reads as text. */
    private static String describe(SigmaValue v) {
        return v instanceof SigmaString ? "the string " + v + " (write the number without quotes)" : String.valueOf(v);
    }

    private static SigmaValue wildcards(String m, SigmaValue v,
                                        java.util.function.Function<String, RuntimeException> error) {
        if (v instanceof SigmaString) {
            SigmaString s = (SigmaString) v;
            if (!m.equals("endswith") && !s.endsWithMulti()) {
                s = s.appendMulti();
            }
            if (!m.equals("startswith") && !s.startsWithMulti()) {
                s = s.prependMulti();
            }
            return s;
        }
        if (v instanceof SigmaValue.Regex) {
            return v; // a Sigma regular expression is an unanchored search already
        }
        if (v instanceof SigmaValue.FieldRef) {
            SigmaValue.FieldRef f = (SigmaValue.FieldRef) v;
            return new SigmaValue.FieldRef(f.path, f.startsWith || !m.equals("endswith"),
                    f.endsWith || !m.equals("startswith"));
        }
        throw error.apply("'" + m + "' needs a string value, not " + v);
    }

    private static SigmaString string(String m, SigmaValue v,
                                      java.util.function.Function<String, RuntimeException> error) {
        if (!(v instanceof SigmaString)) {
            throw error.apply("'" + m + "' needs a string value, not " + v);
        }
        return (SigmaString) v;
    }

    private static List<SigmaString> variants(SigmaString s,
                                              java.util.function.Function<String, RuntimeException> error) {
        if (!s.parts.contains(SigmaString.Special.DASH)) {
            return List.of(s);
        }
        try {
            return Encodings.expandDashes(s);
        } catch (IllegalArgumentException e) {
            throw error.apply(e.getMessage());
        }
    }

    private static SigmaString utf16(String m, SigmaString s) {
        List<Object> parts = new ArrayList<>();
        boolean be = m.equals("utf16be");
        if (m.equals("utf16")) {
            parts.add(Encodings.utf16("", false, true));
        }
        for (Object p : s.parts) {
            parts.add(p instanceof String ? Encodings.utf16((String) p, be, false) : p);
        }
        return s.withBinary(parts);
    }

    /** {@code expand}: {@code %name%} (not after a backslash) is a placeholder; {@code \%} is a literal percent. */
    private static SigmaValue expand(SigmaValue v, java.util.function.Function<String, RuntimeException> error,
                                     java.util.function.Function<String, RuntimeException> skip) {
        if (v instanceof SigmaValue.Regex) {
            Matcher mt = PLACEHOLDER.matcher(((SigmaValue.Regex) v).regex);
            if (mt.find()) {
                throw skip.apply("placeholder %" + mt.group(1) + "% has no value (Trailguard resolves no "
                        + "placeholders; the specification requires rejecting the rule)");
            }
            return v;
        }
        if (!(v instanceof SigmaString)) {
            throw error.apply("'expand' needs a string value, not " + v);
        }
        SigmaString s = (SigmaString) v;
        List<Object> parts = new ArrayList<>();
        for (Object p : s.parts) {
            if (!(p instanceof String)) {
                parts.add(p);
                continue;
            }
            String t = (String) p;
            Matcher mt = PLACEHOLDER.matcher(t);
            int last = 0;
            while (mt.find()) {
                parts.add(t.substring(last, mt.start()).replace("\\%", "%"));
                parts.add(new SigmaString.Placeholder(mt.group(1)));
                last = mt.end();
            }
            parts.add(t.substring(last).replace("\\%", "%"));
        }
        SigmaString out = s.withParts(parts);
        for (Object p : out.parts) {
            if (p instanceof SigmaString.Placeholder) {
                throw skip.apply("placeholder %" + ((SigmaString.Placeholder) p).name + "% has no value "
                        + "(Trailguard resolves no placeholders; the specification requires rejecting the rule)");
            }
        }
        return out;
    }

    /**
     * A YAML number; null for anything else. A quoted value is a string even when it reads as a number
     * ({@code gte: '123'}): pySigma's comparison and date-part modifiers take numbers only.
     */
    static BigDecimal number(SigmaValue v) {
        return v instanceof SigmaValue.Num ? ((SigmaValue.Num) v).value : null;
    }
}
