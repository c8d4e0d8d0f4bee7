package io.trailguard.rules.condition;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.trailguard.rules.text.CaseInsensitive;
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
            return v -> {
                for (String p : prefixes) {
                    if (pathPrefix(v, p)) {
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
        return set::contains;
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
        String required = caseInsensitive ? null : RequiredLiteral.of(regex);
        if (required != null) {
            return v -> v.contains(required) && p.matches(v);
        }
        return v -> p.matches(v);
    }

    private static String trimSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static boolean pathPrefix(String v, String p) {
        if (!v.startsWith(p)) {
            return false;
        }
        return v.length() == p.length() || p.endsWith("/") || v.charAt(p.length()) == '/';
    }
}
