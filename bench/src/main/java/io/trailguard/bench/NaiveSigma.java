package io.trailguard.bench;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The naive evaluation of Sigma rules for {@link NaiveEngine}: what a user would write with Jayway JsonPath and
 * the rule YAML (snakeyaml-engine), with the semantics of Trailguard's Sigma engine (rules/SIGMA.md) so that both
 * compute the same alerts. Every rule is evaluated on every event: no eventName index, no per-event field cache;
 * a detection item reads its field again each time it is evaluated.
 *
 * <ul>
 *   <li>A field name is a dotted path into the record, read with precompiled JsonPaths ({@code $['key']}) one
 *       object at a time: at each object the longest run of the remaining segments that is a key wins (literal
 *       dotted keys), arrays are crossed member by member and a path ending at an array yields its members
 *       (any-member semantics). Strings are compared as they are, booleans and numbers through their canonical
 *       text, objects and arrays used whole as one compact JSON text (keys sorted, strings verbatim).</li>
 *   <li>A search identifier that is a map ANDs its items, a list of maps ORs them; an item ORs its values
 *       ({@code |all}: ANDs them). Strings match ignoring case ({@link String#equalsIgnoreCase} for plain values,
 *       RE2/J case-insensitive for wildcards {@code *} {@code ?}, backslash escapes as pySigma). {@code null}
 *       matches an absent field or a JSON null.</li>
 *   <li>Modifiers: {@code contains}, {@code startswith}, {@code endswith}, {@code all}, {@code cased}, {@code re}
 *       (RE2/J, unanchored, case-sensitive; flags {@code i m s}) and {@code fieldref} (equality ignoring case, or
 *       starts/ends with/contains when chained).</li>
 *   <li>Conditions: identifiers, {@code and}, {@code or}, {@code not}, parentheses, {@code 1 of}/{@code any of}/
 *       {@code all of} a pattern or {@code them}; a condition list is ORed.</li>
 *   <li>Trailguard's bundled errata for three defective SigmaHQ rules (classpath
 *       {@code io/trailguard/sigma/errata.yml}, which the engine applies by default) and Sigma filter documents
 *       are applied: their conditions are ANDed into the target rule.</li>
 * </ul>
 *
 * <p>Not evaluated, and counted as skipped with the reason: correlation rules (they need event-time windows; the
 * naive engine sees single events), base rules that only feed a correlation ({@code generate: false}), rules for
 * another logsource (the engine skips them too), and rules using a feature outside the list above (keyword
 * searches, {@code exists}, {@code cidr}, {@code neq}, numeric comparisons, encodings, placeholders, time parts).
 * JsonPath cannot tell a JSON null from an absent key; no supported feature distinguishes the two, except a literal
 * dotted key holding null, which is read as absent.
 *
 * <p>One class although it is long: it is the comparison's independent reference, written as one user would
 * write it, and it must share no code with the engine it checks (a shared helper would make both wrong together);
 * its sections follow rules/SIGMA.md in order (fields, values and modifiers, detections, conditions).
 */
final class NaiveSigma {
    static final String ERRATA_RESOURCE = "io/trailguard/sigma/errata.yml";

    /** A Sigma rule the naive engine evaluates. */
    static final class SigmaRule {
        final String name;
        final Predicate<DocumentContext> test;

        SigmaRule(String name, Predicate<DocumentContext> test) {
            this.name = name;
            this.test = test;
        }
    }

    /** A rule (or filter) the naive engine does not evaluate; the message is the skip reason. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    /** A filter (or erratum filter) to AND into its target rules. */
    private static final class Filter {
        final Map<?, ?> section;
        final Set<String> targets;
        final boolean any;
        final Map<?, ?> logsource;

        Filter(Map<?, ?> section, Set<String> targets, boolean any, Map<?, ?> logsource) {
            this.section = section;
            this.targets = targets;
            this.any = any;
            this.logsource = logsource;
        }
    }

    /** One erratum: the defective item, whether it is removed, and the filter that restores the rule's intent. */
    private static final class Erratum {
        final String identifier;
        final String key;
        final String value;
        final boolean remove;
        final Filter filter;

        Erratum(String identifier, String key, String value, boolean remove, Filter filter) {
            this.identifier = identifier;
            this.key = key;
            this.value = value;
            this.remove = remove;
            this.filter = filter;
        }
    }

    private final Configuration conf;
    private final List<SigmaRule> rules = new ArrayList<>();
    private final Map<String, String> skippedRules = new LinkedHashMap<>();

    /**
     * @param docs  the Sigma documents of every source, in load order (YAML mappings)
     * @param taken rule names already used (the Falco rules'): a Sigma title that collides becomes
     *              {@code title [id]}, as in the engine
     * @param conf  the JsonPath configuration events are parsed with
     */
    NaiveSigma(List<Map<?, ?>> docs, Set<String> taken, Configuration conf) {
        this.conf = conf;
        Map<String, List<Erratum>> errata = errata();
        List<Filter> filters = new ArrayList<>();
        Set<String> feedCorrelations = new HashSet<>();
        for (Map<?, ?> d : docs) {
            if (d.containsKey("filter") && !d.containsKey("detection")) {
                filters.add(filter(d));
            } else if (d.containsKey("correlation") && d.get("correlation") instanceof Map) {
                Map<?, ?> c = (Map<?, ?>) d.get("correlation");
                if (!Boolean.TRUE.equals(c.get("generate"))) {
                    Object refs = c.get("rules");
                    for (Object r : refs instanceof List ? (List<?>) refs : List.of(String.valueOf(refs))) {
                        feedCorrelations.add(String.valueOf(r));
                    }
                }
            }
        }
        Set<String> names = new HashSet<>(taken);
        for (Map<?, ?> d : docs) {
            if (d.containsKey("correlation")) {
                skip(uniqueName(d, names), "correlation rule (needs event-time windows; the naive engine evaluates "
                        + "single events)");
                continue;
            }
            if (!d.containsKey("detection")) {
                continue; // a filter, applied to its targets
            }
            if (!isCloudTrail(d.get("logsource"))) {
                skip(String.valueOf(d.get("title")), "logsource is not product: aws, service: cloudtrail (the engine "
                        + "skips it too)");
                continue;
            }
            if (refersTo(d, feedCorrelations)) {
                skip(String.valueOf(d.get("title")), "feeds a correlation only (generate: false): no alert of its own");
                continue;
            }
            String name = uniqueName(d, names);
            try {
                rules.add(new SigmaRule(name, compileRule(d, errata, filters)));
            } catch (Unsupported | PatternSyntaxException e) {
                skip(name, e.getMessage());
            }
        }
    }

    List<SigmaRule> rules() {
        return rules;
    }

    /** The rules not evaluated (by name, or title when the engine does not name them either) and why. */
    Map<String, String> skippedRules() {
        return skippedRules;
    }

    private void skip(String name, String reason) {
        skippedRules.put(name, reason);
    }

    // ---- rules, filters, errata ----------------------------------------------------------------------

    private Predicate<DocumentContext> compileRule(Map<?, ?> doc, Map<String, List<Erratum>> errata,
                                                   List<Filter> filters) {
        if (!(doc.get("detection") instanceof Map)) {
            throw new Unsupported("detection is not a mapping");
        }
        Map<?, ?> detection = (Map<?, ?>) doc.get("detection");
        List<Predicate<DocumentContext>> all = new ArrayList<>();
        List<Filter> extra = new ArrayList<>();
        String id = doc.get("id") == null ? null : String.valueOf(doc.get("id"));
        for (Erratum er : errata.getOrDefault(id, List.of())) {
            if (!hasDefect(detection, er)) {
                continue; // fixed upstream: the engine does not apply it either
            }
            if (er.remove) {
                detection = withoutDefect(detection, er);
            }
            extra.add(er.filter);
        }
        all.add(new Detection(detection, Set.of("condition")).condition(detection.get("condition")));
        for (Filter f : filters) {
            if (f.any ? covers(f.logsource, doc.get("logsource")) : refersTo(doc, f.targets)
                    && covers(f.logsource, doc.get("logsource"))) {
                extra.add(f);
            }
        }
        for (Filter f : extra) {
            all.add(new Detection(f.section, Set.of("rules", "condition")).condition(f.section.get("condition")));
        }
        return and(all);
    }

    private static Filter filter(Map<?, ?> doc) {
        Map<?, ?> section = (Map<?, ?>) doc.get("filter");
        Object rules = section.get("rules");
        Set<String> targets = new HashSet<>();
        if (rules instanceof List) {
            for (Object r : (List<?>) rules) {
                targets.add(String.valueOf(r));
            }
        } else if (rules != null && !String.valueOf(rules).trim().equalsIgnoreCase("any")) {
            targets.add(String.valueOf(rules));
        }
        return new Filter(section, targets, targets.isEmpty(), (Map<?, ?>) doc.get("logsource"));
    }

    private static Map<String, List<Erratum>> errata() {
        String text;
        try (InputStream in = NaiveSigma.class.getClassLoader().getResourceAsStream(ERRATA_RESOURCE)) {
            if (in == null) {
                return Map.of();
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<Erratum>> out = new HashMap<>();
        Load yaml = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
        for (Object o : yaml.loadAllFromString(text)) {
            if (!(o instanceof Map)) {
                continue;
            }
            Map<?, ?> doc = (Map<?, ?>) o;
            Map<?, ?> e = (Map<?, ?>) doc.get("erratum");
            Map<?, ?> defect = (Map<?, ?>) e.get("defect");
            out.computeIfAbsent(String.valueOf(e.get("rule")), k -> new ArrayList<>()).add(new Erratum(
                    String.valueOf(defect.get("identifier")), String.valueOf(defect.get("key")),
                    String.valueOf(defect.get("value")), Boolean.TRUE.equals(e.get("remove")), filter(doc)));
        }
        return out;
    }

    private static boolean hasDefect(Map<?, ?> detection, Erratum er) {
        Object sel = detection.get(er.identifier);
        if (!(sel instanceof Map)) {
            return false;
        }
        Object v = ((Map<?, ?>) sel).get(er.key);
        return v != null && !(v instanceof Map) && !(v instanceof List) && String.valueOf(v).equals(er.value);
    }

    private static Map<?, ?> withoutDefect(Map<?, ?> detection, Erratum er) {
        Map<Object, Object> copy = new LinkedHashMap<>(detection);
        Map<Object, Object> sel = new LinkedHashMap<>((Map<?, ?>) detection.get(er.identifier));
        sel.remove(er.key);
        copy.put(er.identifier, sel);
        return copy;
    }

    /** Whether the document's id, name or title is one of the references. */
    private static boolean refersTo(Map<?, ?> doc, Set<String> refs) {
        for (String k : new String[] {"id", "name", "title"}) {
            if (doc.get(k) != null && refs.contains(String.valueOf(doc.get(k)))) {
                return true;
            }
        }
        return false;
    }

    private static String uniqueName(Map<?, ?> d, Set<String> taken) {
        String title = String.valueOf(d.get("title"));
        if (taken.add(title)) {
            return title;
        }
        String suffix = d.get("id") != null ? String.valueOf(d.get("id"))
                : d.get("name") != null ? String.valueOf(d.get("name")) : "?";
        String alt = title + " [" + suffix + "]";
        for (int i = 2; taken.contains(alt); i++) {
            alt = title + " [" + suffix + " " + i + "]";
        }
        taken.add(alt);
        return alt;
    }

    private static boolean isCloudTrail(Object logsource) {
        if (!(logsource instanceof Map)) {
            return false;
        }
        Map<?, ?> ls = (Map<?, ?>) logsource;
        if (ls.containsKey("category")) {
            return false;
        }
        Object p = ls.get("product");
        Object s = ls.get("service");
        return (p != null || s != null)
                && (p == null || String.valueOf(p).trim().equalsIgnoreCase("aws"))
                && (s == null || String.valueOf(s).trim().equalsIgnoreCase("cloudtrail"));
    }

    private static boolean covers(Map<?, ?> filter, Object rule) {
        Map<?, ?> r = rule instanceof Map ? (Map<?, ?>) rule : Map.of();
        if (filter == null || !isCloudTrail(filter)) {
            return false;
        }
        for (String k : new String[] {"product", "service", "category"}) {
            Object f = filter.get(k);
            if (f != null && (r.get(k) == null || !String.valueOf(r.get(k)).trim().equalsIgnoreCase(
                    String.valueOf(f).trim()))) {
                return false;
            }
        }
        return true;
    }

    // ---- detection and condition -------------------------------------------------------------------

    /** One detection section: its search identifiers, compiled on use. */
    private final class Detection {
        final Map<String, Object> identifiers = new LinkedHashMap<>();
        final Map<String, Predicate<DocumentContext>> compiled = new HashMap<>();

        Detection(Map<?, ?> section, Set<String> excluded) {
            for (Map.Entry<?, ?> e : section.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (k.equals("timeframe")) {
                    throw new Unsupported("obsolete 'timeframe'");
                }
                if (!excluded.contains(k)) {
                    identifiers.put(k, e.getValue());
                }
            }
        }

        Predicate<DocumentContext> condition(Object condition) {
            if (condition instanceof List) {
                List<Predicate<DocumentContext>> alternatives = new ArrayList<>();
                for (Object c : (List<?>) condition) {
                    alternatives.add(new ConditionParser(this, String.valueOf(c)).parse());
                }
                return or(alternatives);
            }
            if (condition == null) {
                throw new Unsupported("detection has no condition");
            }
            return new ConditionParser(this, String.valueOf(condition)).parse();
        }

        Predicate<DocumentContext> identifier(String name) {
            if (!identifiers.containsKey(name)) {
                throw new Unsupported("condition names an undefined search identifier");
            }
            Predicate<DocumentContext> p = compiled.get(name);
            if (p == null) {
                p = definition(identifiers.get(name));
                compiled.put(name, p);
            }
            return p;
        }

        /** The identifiers a {@code 1 of}/{@code all of} pattern selects (them: all but '_' ones). */
        List<Predicate<DocumentContext>> selected(String pattern) {
            java.util.regex.Pattern p = pattern.equals("them") ? null
                    : java.util.regex.Pattern.compile(pattern.replace("*", ".*"));
            List<Predicate<DocumentContext>> out = new ArrayList<>();
            for (String id : identifiers.keySet()) {
                boolean visible = !id.startsWith("_") || (p != null && pattern.startsWith("_"));
                if (visible && (p == null || p.matcher(id).matches())) {
                    out.add(identifier(id));
                }
            }
            if (out.isEmpty()) {
                throw new Unsupported("a '1 of'/'all of' pattern matches no search identifier");
            }
            return out;
        }

        private Predicate<DocumentContext> definition(Object def) {
            if (def instanceof Map) {
                List<Predicate<DocumentContext>> items = new ArrayList<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) def).entrySet()) {
                    items.add(item(String.valueOf(e.getKey()), e.getValue()));
                }
                if (items.isEmpty()) {
                    throw new Unsupported("empty search identifier");
                }
                return and(items);
            }
            if (def instanceof List && !((List<?>) def).isEmpty()) {
                List<Predicate<DocumentContext>> alternatives = new ArrayList<>();
                for (Object e : (List<?>) def) {
                    if (!(e instanceof Map) && !(e instanceof List)) {
                        throw new Unsupported("keyword search (values not bound to a field)");
                    }
                    alternatives.add(definition(e));
                }
                return or(alternatives);
            }
            throw new Unsupported("keyword search (values not bound to a field)");
        }
    }

    /** pySigma's condition grammar: or &lt; and &lt; not &lt; x of &lt; ( ). */
    private static final class ConditionParser {
        final Detection detection;
        final List<String> tokens = new ArrayList<>();
        int pos;

        ConditionParser(Detection detection, String text) {
            this.detection = detection;
            if (text.contains("|")) {
                throw new Unsupported("obsolete aggregation condition ('| count()', 'near')");
            }
            for (String t : text.replace("(", " ( ").replace(")", " ) ").trim().split("\\s+")) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }

        Predicate<DocumentContext> parse() {
            Predicate<DocumentContext> p = or();
            if (pos != tokens.size()) {
                throw new Unsupported("condition syntax");
            }
            return p;
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private String next() {
            if (pos >= tokens.size()) {
                throw new Unsupported("condition syntax");
            }
            return tokens.get(pos++);
        }

        private Predicate<DocumentContext> or() {
            List<Predicate<DocumentContext>> cs = new ArrayList<>();
            cs.add(and());
            while ("or".equals(peek())) {
                pos++;
                cs.add(and());
            }
            return cs.size() == 1 ? cs.get(0) : NaiveSigma.or(cs);
        }

        private Predicate<DocumentContext> and() {
            List<Predicate<DocumentContext>> cs = new ArrayList<>();
            cs.add(not());
            while ("and".equals(peek())) {
                pos++;
                cs.add(not());
            }
            return cs.size() == 1 ? cs.get(0) : NaiveSigma.and(cs);
        }

        private Predicate<DocumentContext> not() {
            if ("not".equals(peek())) {
                pos++;
                return not().negate();
            }
            return operand();
        }

        private Predicate<DocumentContext> operand() {
            String t = next();
            if (t.equals("(")) {
                Predicate<DocumentContext> p = or();
                if (!")".equals(next())) {
                    throw new Unsupported("condition syntax");
                }
                return p;
            }
            if ((t.equals("1") || t.equals("any") || t.equals("all")) && "of".equals(peek())) {
                pos++;
                List<Predicate<DocumentContext>> s = detection.selected(next());
                return t.equals("all") ? NaiveSigma.and(s) : NaiveSigma.or(s);
            }
            return detection.identifier(t);
        }
    }

    // ---- detection items ---------------------------------------------------------------------------

    /** A value test over the values a field path found ({@code null}: the field is absent or JSON null). */
    private interface ValueTest {
        boolean test(List<String> values, DocumentContext d);
    }

    /** A Sigma string value while modifiers are applied: parts are literal Strings, '*' or '?' (Characters). */
    private static final class SigmaString {
        final List<Object> parts;
        boolean cased;

        SigmaString(List<Object> parts) {
            this.parts = parts;
        }

        /** pySigma's parsing: a backslash escapes *, ? and itself; before anything else it is literal. */
        static SigmaString parse(String s) {
            List<Object> parts = new ArrayList<>();
            StringBuilder acc = new StringBuilder();
            boolean escaped = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (escaped) {
                    if (c != '*' && c != '?' && c != '\\') {
                        acc.append('\\');
                    }
                    acc.append(c);
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '*' || c == '?') {
                    if (acc.length() > 0) {
                        parts.add(acc.toString());
                        acc.setLength(0);
                    }
                    parts.add(c);
                } else {
                    acc.append(c);
                }
            }
            if (escaped) {
                acc.append('\\');
            }
            if (acc.length() > 0) {
                parts.add(acc.toString());
            }
            return new SigmaString(parts);
        }

        boolean wildcards() {
            for (Object p : parts) {
                if (p instanceof Character) {
                    return true;
                }
            }
            return false;
        }

        String plain() {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts) {
                sb.append(p);
            }
            return sb.toString();
        }
    }

    /** A {@code re} value with its flags. */
    private static final class Regex {
        final String regex;
        int flags;

        Regex(String regex) {
            this.regex = regex;
        }
    }

    /** A {@code fieldref} value. */
    private static final class Ref {
        final String path;
        boolean startsWith;
        boolean endsWith;

        Ref(String path) {
            this.path = path;
        }
    }

    private static final Object NULL = new Object();

    private Predicate<DocumentContext> item(String key, Object value) {
        String[] split = key.split("\\|", -1);
        String path = split[0];
        if (path.isEmpty()) {
            throw new Unsupported("keyword search (values not bound to a field)");
        }
        List<Object> raw = value instanceof List ? new ArrayList<>((List<?>) value) : new ArrayList<>();
        if (!(value instanceof List)) {
            raw.add(value);
        }
        boolean regex = false;
        for (int i = 1; i < split.length; i++) {
            regex |= split[i].equals("re");
        }
        List<Object> values = new ArrayList<>();
        for (Object v : raw) {
            if (v instanceof Map || v instanceof List) {
                throw new Unsupported("a value that is a mapping or a list");
            }
            if (v == null) {
                values.add(NULL);
            } else if (v instanceof String) {
                values.add(regex ? new SigmaString(List.of((String) v)) : SigmaString.parse((String) v));
            } else {
                values.add(v); // Boolean or Number
            }
        }
        if (values.isEmpty()) {
            values.add(NULL); // pySigma: an empty list means null
        }
        boolean all = false;
        List<String> applied = new ArrayList<>();
        for (int i = 1; i < split.length; i++) {
            String m = split[i];
            if (m.equals("all")) {
                all = true;
            } else {
                List<Object> out = new ArrayList<>();
                for (Object v : values) {
                    out.add(modify(m, v, applied));
                }
                values = out;
            }
            applied.add(m);
        }
        Function<DocumentContext, List<String>> field = field(path);
        List<ValueTest> tests = new ArrayList<>();
        for (Object v : values) {
            tests.add(test(v));
        }
        boolean and = all;
        return d -> {
            List<String> vals = field.apply(d);
            for (ValueTest t : tests) {
                boolean ok = t.test(vals, d);
                if (ok != and) {
                    return ok;
                }
            }
            return and;
        };
    }

    private static Object modify(String m, Object v, List<String> applied) {
        switch (m) {
            case "contains":
            case "startswith":
            case "endswith":
                if (v instanceof SigmaString) {
                    SigmaString s = (SigmaString) v;
                    List<Object> p = new ArrayList<>(s.parts);
                    if (!m.equals("endswith") && (p.isEmpty() || !Character.valueOf('*').equals(p.get(p.size() - 1)))) {
                        p.add('*');
                    }
                    if (!m.equals("startswith") && (p.isEmpty() || !Character.valueOf('*').equals(p.get(0)))) {
                        p.add(0, '*');
                    }
                    SigmaString out = new SigmaString(p);
                    out.cased = s.cased;
                    return out;
                }
                if (v instanceof Regex) {
                    return v; // a regular expression is an unanchored search already
                }
                if (v instanceof Ref) {
                    Ref r = (Ref) v;
                    Ref out = new Ref(r.path);
                    out.startsWith = r.startsWith || !m.equals("endswith");
                    out.endsWith = r.endsWith || !m.equals("startswith");
                    return out;
                }
                throw new Unsupported("'" + m + "' on a value that is not a string");
            case "re":
                if (!applied.isEmpty() || !(v instanceof SigmaString)) {
                    throw new Unsupported("'re' after other modifiers or on a non-string");
                }
                return new Regex(((SigmaString) v).plain());
            case "i":
            case "ignorecase":
            case "m":
            case "multiline":
            case "s":
            case "dotall": {
                if (!(v instanceof Regex)) {
                    throw new Unsupported("regex flag '" + m + "' without 're'");
                }
                Regex r = new Regex(((Regex) v).regex);
                r.flags = ((Regex) v).flags | (m.startsWith("i") ? Pattern.CASE_INSENSITIVE
                        : m.startsWith("m") ? Pattern.MULTILINE : Pattern.DOTALL);
                return r;
            }
            case "cased": {
                if (!(v instanceof SigmaString)) {
                    throw new Unsupported("'cased' on a non-string");
                }
                SigmaString out = new SigmaString(((SigmaString) v).parts);
                out.cased = true;
                return out;
            }
            case "fieldref":
                if (!(v instanceof SigmaString) || ((SigmaString) v).wildcards()) {
                    throw new Unsupported("'fieldref' needs a field name");
                }
                return new Ref(((SigmaString) v).plain());
            default:
                throw new Unsupported("modifier '" + m + "' is not in the naive engine");
        }
    }

    private ValueTest test(Object v) {
        if (v == NULL) {
            return (vals, d) -> vals == null || vals.contains(null);
        }
        if (v instanceof Boolean) {
            String t = v.toString();
            return (vals, d) -> {
                if (vals != null) {
                    for (String s : vals) {
                        if (t.equalsIgnoreCase(s)) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        if (v instanceof Number) {
            BigDecimal n = new BigDecimal(v.toString());
            String text = canonical(n);
            return (vals, d) -> {
                if (vals != null) {
                    for (String s : vals) {
                        if (s == null) {
                            continue;
                        }
                        BigDecimal x = number(s.trim());
                        if ((x != null && x.compareTo(n) == 0) || text.equalsIgnoreCase(s)) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        if (v instanceof Regex) {
            Pattern p = Pattern.compile(((Regex) v).regex, ((Regex) v).flags);
            return (vals, d) -> {
                if (vals != null) {
                    for (String s : vals) {
                        if (s != null && p.matcher(s).find()) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        if (v instanceof Ref) {
            Ref r = (Ref) v;
            Function<DocumentContext, List<String>> other = field(r.path);
            return (vals, d) -> {
                if (vals == null) {
                    return false;
                }
                List<String> os = other.apply(d);
                if (os == null) {
                    return false;
                }
                for (String a : vals) {
                    for (String b : os) {
                        if (a != null && b != null && (r.startsWith && r.endsWith ? containsIgnoreCase(a, b)
                                : r.startsWith ? a.regionMatches(true, 0, b, 0, b.length())
                                : r.endsWith ? a.length() >= b.length()
                                        && a.regionMatches(true, a.length() - b.length(), b, 0, b.length())
                                : a.equalsIgnoreCase(b))) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        SigmaString s = (SigmaString) v;
        if (!s.wildcards()) {
            String lit = s.plain();
            boolean cased = s.cased;
            return (vals, d) -> {
                if (vals != null) {
                    for (String x : vals) {
                        if (x != null && (cased ? x.equals(lit) : x.equalsIgnoreCase(lit))) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        StringBuilder re = new StringBuilder();
        for (Object part : s.parts) {
            if (part instanceof String) {
                re.append(Pattern.quote((String) part));
            } else {
                re.append((Character) part == '*' ? ".*" : ".");
            }
        }
        Pattern p = Pattern.compile(re.toString(), Pattern.DOTALL | (s.cased ? 0 : Pattern.CASE_INSENSITIVE));
        return (vals, d) -> {
            if (vals != null) {
                for (String x : vals) {
                    if (x != null && p.matches(x)) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private static boolean containsIgnoreCase(String a, String b) {
        for (int i = 0; i + b.length() <= a.length(); i++) {
            if (a.regionMatches(true, i, b, 0, b.length())) {
                return true;
            }
        }
        return false;
    }

    /** A plain decimal number, or null (as the engine reads event values for a YAML number). */
    private static BigDecimal number(String t) {
        if (t.isEmpty() || t.length() > 100) {
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

    // ---- fields: JsonPath reads --------------------------------------------------------------------

    /**
     * The values a dotted path reaches in the event (texts; a null element for a JSON null member), or null when it
     * reaches nothing or only a JSON null.
     */
    private Function<DocumentContext, List<String>> field(String path) {
        String[] segments = path.split("\\.", -1);
        int n = segments.length;
        JsonPath[][] keys = new JsonPath[n][n + 1];
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = i + 1; j <= n; j++) {
                if (j > i + 1) {
                    sb.append('.');
                }
                sb.append(segments[j - 1]);
                keys[i][j] = JsonPath.compile("$['" + sb.toString().replace("\\", "\\\\").replace("'", "\\'") + "']");
            }
        }
        return d -> {
            List<Object> found = new ArrayList<>(2);
            resolve(keys, d.json(), 0, found);
            if (found.isEmpty()) {
                return null;
            }
            List<String> out = new ArrayList<>(found.size());
            if (found.size() == 1 && !(found.get(0) instanceof List)) {
                out.add(text(found.get(0)));
                return out;
            }
            for (Object o : found) {
                flatten(o, out);
            }
            return out;
        };
    }

    private void resolve(JsonPath[][] keys, Object node, int i, List<Object> out) {
        int n = keys.length;
        if (i == n) {
            out.add(node);
            return;
        }
        if (node instanceof List) {
            for (Object member : (List<?>) node) {
                if (member != null) {
                    resolve(keys, member, i, out);
                }
            }
            return;
        }
        if (!(node instanceof Map)) {
            return;
        }
        for (int j = n; j > i; j--) {
            Object child = keys[i][j].read(node, conf);
            if (child != null) {
                resolve(keys, child, j, out);
                return;
            }
        }
    }

    private static void flatten(Object o, List<String> out) {
        if (o instanceof List) {
            for (Object m : (List<?>) o) {
                flatten(m, out);
            }
        } else {
            out.add(text(o));
        }
    }

    /** The text a value is compared as: strings as they are, numbers and booleans canonical, objects as JSON. */
    private static String text(Object o) {
        if (o == null || o instanceof String) {
            return (String) o;
        }
        if (o instanceof Map || o instanceof List) {
            StringBuilder sb = new StringBuilder();
            compact(o, sb);
            return sb.toString();
        }
        return scalar(o);
    }

    private static String scalar(Object o) {
        if (o instanceof Number) {
            return canonical(new BigDecimal(o.toString()));
        }
        return o.toString();
    }

    private static String canonical(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    /** Compact JSON with sorted keys and strings written verbatim (not escaped), as the engine matches objects. */
    private static void compact(Object o, StringBuilder sb) {
        if (o instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) o;
            List<String> keys = new ArrayList<>();
            for (Object k : m.keySet()) {
                keys.add(String.valueOf(k));
            }
            keys.sort(null);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(keys.get(i)).append("\":");
                compact(m.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else if (o instanceof List) {
            sb.append('[');
            List<?> l = (List<?>) o;
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                compact(l.get(i), sb);
            }
            sb.append(']');
        } else if (o instanceof String) {
            sb.append('"').append((String) o).append('"');
        } else if (o == null) {
            sb.append("null");
        } else {
            sb.append(scalar(o));
        }
    }

    // ---- combinators -------------------------------------------------------------------------------

    static Predicate<DocumentContext> and(List<Predicate<DocumentContext>> cs) {
        if (cs.size() == 1) {
            return cs.get(0);
        }
        return d -> {
            for (Predicate<DocumentContext> p : cs) {
                if (!p.test(d)) {
                    return false;
                }
            }
            return true;
        };
    }

    static Predicate<DocumentContext> or(List<Predicate<DocumentContext>> cs) {
        if (cs.size() == 1) {
            return cs.get(0);
        }
        return d -> {
            for (Predicate<DocumentContext> p : cs) {
                if (p.test(d)) {
                    return true;
                }
            }
            return false;
        };
    }
}
