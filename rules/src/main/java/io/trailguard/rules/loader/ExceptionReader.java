package io.trailguard.rules.loader;

import io.trailguard.rules.source.RuleLoadException;
import io.trailguard.rules.text.Suggestions;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code exceptions} of a Falco rule ({@code reference/falco.md} 3.7) into {@link ExceptionDef}s. */
final class ExceptionReader {
    private static final Set<String> EXCEPTION_KEYS = Set.of("name", "fields", "comps", "values");
    private static final Set<String> COMPARISON_OPERATORS = Set.of("=", "==", "!=", "<", "<=", ">", ">=", "contains",
            "icontains", "startswith", "endswith", "glob", "iglob", "regex", "in", "intersects", "pmatch");
    /** The operators that take a list: a single-field exception uses one of them (or a modifier operator). */
    static final Set<String> LIST_OPERATORS = Set.of("in", "intersects", "pmatch");
    /** The string operators that take an {@code oneof/anyof/allof} modifier (libs 0.25, Falco 0.44). */
    private static final Set<String> MODIFIABLE_OPERATORS = Set.of("=", "==", "!=", "contains", "icontains",
            "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "regex");
    private static final Set<String> MODIFIERS = Set.of("oneof", "anyof", "allof");

    /** {@code OP oneof|anyof|allof} with a string operator, e.g. {@code startswith oneof}. */
    static boolean isModifierOperator(String comp) {
        String[] words = comp.trim().split("\\s+");
        return words.length == 2 && MODIFIABLE_OPERATORS.contains(words[0]) && MODIFIERS.contains(words[1]);
    }

    /** Whether a value for {@code comp} is a parenthesised list: list operators and modifier operators. */
    static boolean takesList(String comp) {
        return LIST_OPERATORS.contains(comp) || isModifierOperator(comp);
    }

    private final FalcoYaml yaml;

    ExceptionReader(FalcoYaml yaml) {
        this.yaml = yaml;
    }

    /**
     * Parses an {@code exceptions} sequence. When {@code appendTo} is given, items naming an existing exception
     * may omit fields/comps (and must not change them).
     */
    List<ExceptionDef> exceptions(Node n, RuleDef appendTo) {
        if (!(n instanceof SequenceNode)) {
            throw new RuleLoadException(yaml.pos(n), "exceptions must be a sequence");
        }
        List<ExceptionDef> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node x : ((SequenceNode) n).getValue()) {
            if (!(x instanceof MappingNode)) {
                throw new RuleLoadException(yaml.pos(x), "exceptions items must be mappings");
            }
            yaml.warnUnknownKeys((MappingNode) x, EXCEPTION_KEYS);
            Map<String, Node> m = yaml.entries((MappingNode) x);
            if (!m.containsKey("name")) {
                throw new RuleLoadException(yaml.pos(x), "Item has no mapping for key 'name'");
            }
            String name = yaml.string(m.get("name"), "exception name");
            if (!names.add(name)) {
                yaml.warn(yaml.pos(x), "Multiple definitions of exception '" + name + "' in the same rule");
            }
            ExceptionDef existing = null;
            if (appendTo != null) {
                for (ExceptionDef d : appendTo.exceptions) {
                    if (d.name.equals(name)) {
                        existing = d;
                    }
                }
            }
            if (existing != null) {
                if (m.containsKey("fields") || m.containsKey("comps")) {
                    throw new RuleLoadException(yaml.pos(x), "Can not append exception fields or comps to existing "
                            + "exception '" + name + "', only values");
                }
                if (!m.containsKey("values")) {
                    yaml.warn(yaml.pos(x), "Overriding/appending exception with no values");
                }
                List<Object> values = m.containsKey("values")
                        ? exceptionValues(m.get("values"), existing.singleField, existing.fields.size())
                        : Collections.emptyList();
                result.add(new ExceptionDef(name, existing.singleField, existing.fields, existing.comps, values,
                        yaml.pos(x)));
                continue;
            }
            if (appendTo != null && !m.containsKey("values")) {
                yaml.warn(yaml.pos(x), "Overriding/appending exception with no values");
            }
            result.add(exception(x, name, m, appendTo != null));
        }
        return result;
    }

    private ExceptionDef exception(Node x, String name, Map<String, Node> m, boolean appending) {
        Node fieldsNode = m.get("fields");
        if (fieldsNode == null && !appending) {
            throw new RuleLoadException(yaml.pos(x), "Rule exception item " + name + ": Item has no mapping for key "
                    + "'fields'");
        }
        if (fieldsNode == null) {
            return new ExceptionDef(name, false, Collections.emptyList(), Collections.emptyList(),
                    Collections.emptyList(), yaml.pos(x));
        }
        boolean single = fieldsNode instanceof ScalarNode;
        List<String> fields = single ? List.of(yaml.string(fieldsNode, "fields"))
                : yaml.strings(fieldsNode, "fields");
        List<String> comps;
        Node compsNode = m.get("comps");
        if (single) {
            if (compsNode instanceof SequenceNode) {
                throw new RuleLoadException(yaml.pos(compsNode), "Rule exception item " + name + ": Fields and comps "
                        + "must both be strings");
            }
            String comp = compsNode == null ? "in" : yaml.string(compsNode, "comps").trim();
            if (!takesList(comp)) {
                throw new RuleLoadException(yaml.pos(compsNode), "Rule exception item " + name + ": When fields is a "
                        + "single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. "
                        + "startswith oneof)");
            }
            comps = List.of(comp);
        } else {
            if (compsNode == null) {
                comps = Collections.nCopies(fields.size(), "=");
            } else {
                if (compsNode instanceof ScalarNode) {
                    throw new RuleLoadException(yaml.pos(compsNode), "Rule exception item " + name + ": fields and comps "
                            + "lists must have equal length");
                }
                comps = new ArrayList<>();
                for (String c : yaml.strings(compsNode, "comps")) {
                    comps.add(c.trim());
                }
                if (comps.size() != fields.size()) {
                    throw new RuleLoadException(yaml.pos(compsNode), "Rule exception item " + name + ": fields and comps "
                            + "lists must have equal length");
                }
            }
        }
        for (String c : comps) {
            if (!COMPARISON_OPERATORS.contains(c) && !isModifierOperator(c)) {
                throw new RuleLoadException(yaml.pos(compsNode), "Rule exception item " + name + ": '" + c + "' is not "
                        + "a supported comparison operator" + Suggestions.didYouMean(c, COMPARISON_OPERATORS));
            }
        }
        List<Object> values = m.containsKey("values") ? exceptionValues(m.get("values"), single, fields.size())
                : Collections.emptyList();
        return new ExceptionDef(name, single, fields, comps, values, yaml.pos(x));
    }

    private List<Object> exceptionValues(Node n, boolean single, int arity) {
        if (!(n instanceof SequenceNode)) {
            throw new RuleLoadException(yaml.pos(n), "exception values must be a sequence");
        }
        List<Object> values = new ArrayList<>();
        for (Node v : ((SequenceNode) n).getValue()) {
            if (single) {
                values.add(yaml.string(v, "exception value"));
                continue;
            }
            if (!(v instanceof SequenceNode)) {
                throw new RuleLoadException(yaml.pos(v), "Expected values array for exception to contain lists of values");
            }
            List<Node> items = ((SequenceNode) v).getValue();
            if (items.size() != arity) {
                throw new RuleLoadException(yaml.pos(v), "Fields and values lists must have equal length");
            }
            List<Object> tuple = new ArrayList<>();
            for (Node i : items) {
                if (i instanceof SequenceNode) {
                    tuple.add(yaml.strings(i, "exception value"));
                } else {
                    tuple.add(yaml.string(i, "exception value"));
                }
            }
            values.add(tuple);
        }
        return values;
    }
}
