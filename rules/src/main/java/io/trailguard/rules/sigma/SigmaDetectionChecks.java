package io.trailguard.rules.sigma;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pySigma's condition, modifier and value validators ({@code sigma/validators/core/condition.py},
 * {@code modifiers.py}, {@code values.py}) on one rule's {@code detection} section. String checks look at values as
 * written (wildcards, escapes), and only where no modifier turns the value into something else (re, base64,
 * encodings, cidr, windash, expand, fieldref, comparisons). A section that does not parse is left to the compiler,
 * which reports it.
 */
final class SigmaDetectionChecks {
    private static final Pattern ALL_OF_THEM = Pattern.compile("all\\s+of\\s+them");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.*\\-]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "of", "all", "them");
    /** Modifiers under which a string value is still the string as written. */
    private static final Set<String> PLAIN = Set.of("contains", "startswith", "endswith", "all", "cased");

    private final SigmaChecks checks;
    private final String file;

    SigmaDetectionChecks(SigmaChecks checks, String file) {
        this.checks = checks;
        this.file = file;
    }

    void check(Node section) {
        Map<String, Node> values;
        Map<String, Node> keys;
        try {
            values = SigmaYaml.map(file, section, "detection");
            keys = SigmaYaml.keys(section);
        } catch (SigmaException e) {
            return;
        }
        List<String> conditions = conditions(values.get("condition"));
        Map<String, Node> searches = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : values.entrySet()) {
            if (!e.getKey().equals("condition") && !e.getKey().equals("timeframe")) {
                searches.put(e.getKey(), keys.get(e.getKey()));
                try {
                    detection(SigmaDetection.parse(file, e.getValue(), keys.get(e.getKey())));
                } catch (SigmaException ignored) {
                    // reported by the compiler
                }
            }
        }
        Node conditionKey = keys.getOrDefault("condition", section);
        if (conditions.stream().anyMatch(c -> ALL_OF_THEM.matcher(c).find())) {
            checks.issue(SigmaYaml.pos(file, conditionKey), "all_of_them_condition", "medium",
                    "Rule contains discouraged 'all of them' condition, use 'all of selection*' instead.", null);
        }
        if (conditions.stream().anyMatch(c -> c.contains("them")) && searches.size() == 1) {
            checks.issue(SigmaYaml.pos(file, conditionKey), "them_condition_with_single_detection", "low",
                    "Rule refers to 'them' but has only one condition", null);
        }
        if (conditions.isEmpty()) {
            return;
        }
        Set<String> referenced = referenced(conditions, searches.keySet());
        for (Map.Entry<String, Node> s : searches.entrySet()) {
            if (!referenced.contains(s.getKey())) {
                checks.issue(SigmaYaml.pos(file, s.getValue()), "dangling_detection", "high",
                        "Rule defines detection that is not referenced from condition", s.getKey());
            }
        }
    }

    private static List<String> conditions(Node n) {
        List<String> out = new ArrayList<>();
        if (n instanceof ScalarNode && !SigmaYaml.isNull(n)) {
            out.add(((ScalarNode) n).getValue());
        } else if (n instanceof SequenceNode) {
            for (Node c : ((SequenceNode) n).getValue()) {
                if (c instanceof ScalarNode) {
                    out.add(((ScalarNode) c).getValue());
                }
            }
        }
        return out;
    }

    /** The search identifiers the conditions name: by name, by {@code x of pattern*}, or all with {@code them}. */
    private static Set<String> referenced(List<String> conditions, Set<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : conditions) {
            Matcher m = TOKEN.matcher(c);
            String previous = null;
            while (m.find()) {
                String t = m.group();
                if (t.equals("them")) {
                    out.addAll(names);
                } else if ("of".equals(previous) && t.contains("*")) {
                    Pattern glob = Pattern.compile(Pattern.quote(t).replace("*", "\\E.*\\Q"));
                    names.stream().filter(n -> glob.matcher(n).matches()).forEach(out::add);
                } else if (!KEYWORDS.contains(t)) {
                    out.add(t);
                }
                previous = t;
            }
        }
        return out;
    }

    private void detection(SigmaDetection d) {
        for (SigmaDetectionItem it : d.items) {
            item(it);
        }
        for (SigmaDetection a : d.alternatives) {
            detection(a);
        }
    }

    private void item(SigmaDetectionItem it) {
        org.snakeyaml.engine.v2.nodes.Node at = it.at;
        String label = it.key != null ? it.key : "keywords";
        List<String> mods = it.modifiers;
        if (it.field != null && mods.contains("all") && !mods.contains("contains")) {
            issue(at, "invalid_modifier_combinations", "high",
                    "'all' modifier without 'contains' modifier", label);
        }
        if (mods.contains("base64offset") && !mods.contains("contains")) {
            issue(at, "invalid_modifier_combinations", "high",
                    "'base64offset' modifier without 'contains' modifier", label);
        }
        if (mods.contains("windash") && mods.contains("all")) {
            issue(at, "invalid_modifier_combinations", "high", "'windash' modifier combined with 'all' modifier",
                    label);
        }
        List<String> twice = new ArrayList<>(SigmaChecks.repeated(mods));
        twice.remove("base64");
        if (!twice.isEmpty()) {
            issue(at, "invalid_modifier_combinations", "medium", "Modifiers shouldn't be applied multiple times",
                    label + " " + twice);
        }
        if (!PLAIN.containsAll(mods)) {
            return;
        }
        List<SigmaString> strings = new ArrayList<>();
        for (SigmaValue v : it.values) {
            if (v instanceof SigmaString) {
                strings.add((SigmaString) v);
                string(at, (SigmaString) v);
            }
        }
        wildcardsInsteadOfModifiers(at, label, mods, strings, it.values.size());
    }

    private void string(Node at, SigmaString s) {
        boolean previousMulti = false;
        boolean doubleWildcard = false;
        boolean control = false;
        boolean escapedWildcard = false;
        for (Object p : s.parts) {
            boolean multi = p == SigmaString.Special.MULTI;
            doubleWildcard |= multi && previousMulti;
            previousMulti = multi;
            if (p instanceof String) {
                String text = (String) p;
                control |= text.chars().anyMatch(c -> c < 32);
                escapedWildcard |= text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
            }
        }
        if (doubleWildcard) {
            issue(at, "double_wildcard", "low", "String contains multiple consecutive * wildcards", s.original);
        }
        if (s.parts.size() == 1 && s.parts.get(0) instanceof String) {
            String text = (String) s.parts.get(0);
            if (text.indexOf(' ') < 0 && INTEGER.matcher(text.trim()).matches()) {
                issue(at, "number_as_string", "low", "A number was expressed as string", s.original);
            }
        }
        if (control) {
            issue(at, "control_character", "high",
                    "String contains control character likely caused by missing (double-)slash", s.original);
        }
        if (escapedWildcard) {
            issue(at, "escaped_wildcard", "low", "Rule contains an escaped wildcard in the rule logic. Make sure the "
                    + "escape is intentional.", s.original);
        }
    }

    private void wildcardsInsteadOfModifiers(Node at, String label, List<String> mods, List<SigmaString> strings,
                                             int values) {
        if (strings.isEmpty() || strings.size() != values) {
            return;
        }
        if (!mods.contains("contains") && strings.stream().allMatch(s -> length(s) > 1 && starts(s) && ends(s)
                && !special(s, 1, s.parts.size() - 1))) {
            issue(at, "wildcards_instead_of_modifiers", "low", "String contains wildcards at beginning and end instead "
                    + "of being modified with contains modifier", label);
        } else if (!mods.contains("endswith") && strings.stream().allMatch(s -> length(s) > 1 && starts(s)
                && !special(s, 1, s.parts.size()))) {
            issue(at, "wildcards_instead_of_modifiers", "low", "String contains wildcard at beginning instead of "
                    + "being modified with endswith modifier", label);
        } else if (!mods.contains("startswith") && strings.stream().allMatch(s -> length(s) > 1 && ends(s)
                && !special(s, 0, s.parts.size() - 1))) {
            issue(at, "wildcards_instead_of_modifiers", "low", "String contains wildcard at end instead of being "
                    + "modified with startswith modifier", label);
        }
    }

    private static int length(SigmaString s) {
        int n = 0;
        for (Object p : s.parts) {
            n += p instanceof String ? ((String) p).length() : 1;
        }
        return n;
    }

    private static boolean starts(SigmaString s) {
        return !s.parts.isEmpty() && s.parts.get(0) == SigmaString.Special.MULTI;
    }

    private static boolean ends(SigmaString s) {
        return !s.parts.isEmpty() && s.parts.get(s.parts.size() - 1) == SigmaString.Special.MULTI;
    }

    /** Whether parts [from, to) hold a wildcard or another special part. */
    private static boolean special(SigmaString s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!(s.parts.get(i) instanceof String)) {
                return true;
            }
        }
        return false;
    }

    private void issue(Node at, String validator, String severity, String description, String detail) {
        checks.issue(SigmaYaml.pos(file, at), validator, severity, description, detail);
    }
}
