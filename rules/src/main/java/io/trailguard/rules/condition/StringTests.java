package io.trailguard.rules.condition;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.trailguard.rules.text.CaseInsensitive;
import io.trailguard.rules.text.LiteralSearch;
import io.trailguard.rules.text.RequiredLiteral;
import io.trailguard.rules.text.StarPattern;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles Falco's string operators against a constant right-hand side ({@code reference/falco.md} 3.4).
 * Everything that can be prepared (sets, lower-cased needles, RE2 programs for regex and glob) is prepared here,
 * once, at load time. Regular expressions use RE2/J: linear time, full (anchored) match.
 */
final class StringTests {
    private StringTests() {}

    static StringTest single(String op, String rhs) {
        switch (op) {
            case "=":
            case "==":
                return rhs::equals;
            case "!=":
                return v -> !v.equals(rhs);
            case "contains":
                return rhs.isEmpty() ? v -> true : v -> v.contains(rhs);
            case "icontains": {
                if (rhs.isEmpty()) {
                    return v -> true;
                }
                return v -> CaseInsensitive.indexOf(v, rhs) >= 0; // Falco uses strcasestr
            }
            case "startswith":
                return v -> v.startsWith(rhs);
            case "endswith":
                return v -> v.endsWith(rhs);
            case "glob":
                return glob(rhs, false);
            case "iglob":
                return glob(rhs, true);
            case "regex":
                return matcher(rhs, false, "regex", rhs);
            case "<":
                return v -> v.compareTo(rhs) < 0;
            case "<=":
                return v -> v.compareTo(rhs) <= 0;
            case ">":
                return v -> v.compareTo(rhs) > 0;
            case ">=":
                return v -> v.compareTo(rhs) >= 0;
            case "bcontains":
            case "bstartswith":
                throw new IllegalArgumentException("operator '" + op + "' applies only to byte-buffer fields; "
                        + "CloudTrail fields are strings (use 'contains' / 'startswith')");
            default:
                throw new IllegalArgumentException("operator '" + op + "' does not take a single value");
        }
    }

    /** {@code in}/{@code intersects} (set membership) and {@code pmatch} (path prefix) on a single value. */
    static StringTest list(String op, List<String> items) {
        if (op.equals("pmatch")) {
            final String[] prefixes = items.stream().map(StringTests::trimSlash).toArray(String[]::new);
            final com.google.re2j.Pattern[][] globs = new com.google.re2j.Pattern[prefixes.length][];
            for (int i = 0; i < prefixes.length; i++) {
                globs[i] = componentGlobs(prefixes[i]);
            }
            return v -> {
                for (int i = 0; i < prefixes.length; i++) {
                    if (globs[i] != null ? globPathPrefix(v, globs[i]) : pathPrefix(v, prefixes[i])) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (items.size() == 1) {
            String only = items.get(0);
            return only::equals;
        }
        final Set<String> set = new HashSet<>(items);
        if (set.size() <= SMALL_SET) {
            return small(set.toArray(new String[0]));
        }
        return set::contains;
    }

    /** Up to this many values, a set is tested by comparing hash codes in one array (fewer objects than a HashSet). */
    private static final int SMALL_SET = 8;

    /** Membership in a few distinct values: each compared by its hash code first, then equals (as a HashSet does). */
    private static StringTest small(String[] values) {
        final int[] hashes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            hashes[i] = values[i].hashCode();
        }
        return v -> {
            int h = v.hashCode();
            for (int i = 0; i < hashes.length; i++) {
                if (hashes[i] == h && values[i].equals(v)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** {@code OP oneof|anyof|allof (items)}: exactly one, at least one, or every item satisfies {@code value OP item}. */
    static StringTest modified(String op, String modifier, List<String> items) {
        final StringTest[] tests = new StringTest[items.size()];
        for (int i = 0; i < tests.length; i++) {
            tests[i] = single(op, items.get(i));
        }
        switch (modifier) {
            case "anyof":
                return v -> {
                    for (StringTest t : tests) {
                        if (t.test(v)) {
                            return true;
                        }
                    }
                    return false;
                };
            case "allof":
                return v -> {
                    for (StringTest t : tests) {
                        if (!t.test(v)) {
                            return false;
                        }
                    }
                    return tests.length > 0;
                };
            default: // oneof
                return v -> {
                    int n = 0;
                    for (StringTest t : tests) {
                        if (t.test(v) && ++n > 1) {
                            return false;
                        }
                    }
                    return n == 1;
                };
        }
    }

    /** A glob: star-only patterns by segment search ({@link StarPattern}), others as an anchored RE2 regex. */
    private static StringTest glob(String rhs, boolean caseInsensitive) {
        List<String> segments = Glob.starSegments(rhs);
        StarPattern star = segments == null ? null : StarPattern.of(segments, caseInsensitive);
        if (star != null) {
            return star::matches;
        }
        return matcher(Glob.toRegex(rhs), caseInsensitive, caseInsensitive ? "iglob" : "glob", rhs);
    }

    private static StringTest matcher(String regex, boolean caseInsensitive, String op, String source) {
        final Pattern p;
        try {
            p = Pattern.compile(regex, (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0) | Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid " + op + " pattern '" + source + "': " + e.getDescription());
        }
        LiteralSearch search = caseInsensitive ? null : LiteralSearch.of(regex);
        if (search != null) {
            return search::matches;
        }
        String required = caseInsensitive ? null : RequiredLiteral.of(regex);
        if (required != null) {
            return v -> v.contains(required) && p.matches(v);
        }
        return v -> p.matches(v);
    }

    /**
     * One pattern per '/'-separated component of a prefix that holds glob characters (null for a literal prefix):
     * each matches one value component as fnmatch would, so a wildcard never crosses a '/' (libs filter_op_pmatch:
     * {@code /opt/*}{@code /subdir} matches {@code /opt/dir/subdir/file.txt}).
     */
    private static com.google.re2j.Pattern[] componentGlobs(String p) {
        if (p.indexOf('*') < 0 && p.indexOf('?') < 0 && p.indexOf('[') < 0) {
            return null;
        }
        String[] parts = p.split("/", -1);
        com.google.re2j.Pattern[] out = new com.google.re2j.Pattern[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = com.google.re2j.Pattern.compile(Glob.toRegex(parts[i]), com.google.re2j.Pattern.DOTALL);
        }
        return out;
    }

    private static boolean globPathPrefix(String v, com.google.re2j.Pattern[] want) {
        String[] have = v.split("/", -1);
        if (have.length < want.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!want[i].matches(have[i])) {
                return false;
            }
        }
        return true;
    }

    private static String trimSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /**
     * Path-prefix match of a literal prefix on '/'-separated components ({@code /tmp/a} matches {@code /tmp/a/x},
     * not {@code /tmp/ab}).
     */
    private static boolean pathPrefix(String v, String p) {
        if (!v.startsWith(p)) {
            return false;
        }
        return v.length() == p.length() || p.endsWith("/") || v.charAt(p.length()) == '/';
    }
}
