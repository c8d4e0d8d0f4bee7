package io.trailguard.rules.sigma;

import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.source.Position;
import io.trailguard.rules.text.CaseFold;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A Sigma {@code detection} section (or the selections of a filter): its search identifiers are read into
 * {@link SigmaDetection}s of {@link SigmaDetectionItem}s when it is constructed, then compiled, every one of them
 * (as pySigma checks every identifier, used or not), into a tree of conditions:
 * <ul>
 *   <li>a search identifier that is a map ANDs its items; a list of maps ORs them; a list of plain values (or a
 *       plain value) is a keyword search;</li>
 *   <li>an item {@code field|mod1|mod2: value} ORs its values (ANDs them with {@code all}); its modifiers apply
 *       left to right; an empty list means null; a key with no field ({@code '|all'}) is a keyword item;</li>
 *   <li>the condition (or each condition of a list, ORed) combines identifiers with and/or/not, parentheses,
 *       {@code 1 of}/{@code any of}/{@code all of} a pattern or {@code them} (patterns and them skip identifiers
 *       starting with '_', unless the pattern starts with '_').</li>
 * </ul>
 */
final class Detection {
    /** A compiled detection node: a condition plus what the eventName index needs to know about it. */
    abstract static class DNode {
        abstract Condition condition();

        /** The eventName values (one of) that the node requires, or null when it requires none. */
        abstract Set<String> eventNames();
    }

    static final class Item extends DNode {
        final Condition condition;
        final Set<String> eventNames;

        Item(Condition condition, Set<String> eventNames) {
            this.condition = condition;
            this.eventNames = eventNames;
        }

        @Override
        Condition condition() {
            return condition;
        }

        @Override
        Set<String> eventNames() {
            return eventNames;
        }
    }

    static final class And extends DNode {
        final List<DNode> children;

        And(List<DNode> children) {
            this.children = List.copyOf(children);
        }

        @Override
        Condition condition() {
            Condition[] c = children.stream().map(DNode::condition).toArray(Condition[]::new);
            if (c.length == 2) {
                Condition a = c[0];
                Condition b = c[1];
                return ctx -> a.test(ctx) && b.test(ctx);
            }
            return ctx -> {
                for (Condition x : c) {
                    if (!x.test(ctx)) {
                        return false;
                    }
                }
                return true;
            };
        }

        /** The intersection, comparing names ignoring case as Sigma matching does (the rule set index folds too). */
        @Override
        Set<String> eventNames() {
            Set<String> result = null;
            for (DNode c : children) {
                Set<String> s = c.eventNames();
                if (s != null) {
                    if (result == null) {
                        result = new HashSet<>(s);
                    } else {
                        Set<String> folded = new HashSet<>();
                        for (String x : s) {
                            folded.add(CaseFold.fold(x));
                        }
                        result.removeIf(x -> !folded.contains(CaseFold.fold(x)));
                    }
                }
            }
            return result;
        }
    }

    static final class Or extends DNode {
        final List<DNode> children;

        Or(List<DNode> children) {
            this.children = List.copyOf(children);
        }

        @Override
        Condition condition() {
            Condition[] c = children.stream().map(DNode::condition).toArray(Condition[]::new);
            return ctx -> {
                for (Condition x : c) {
                    if (x.test(ctx)) {
                        return true;
                    }
                }
                return false;
            };
        }

        @Override
        Set<String> eventNames() {
            Set<String> result = new HashSet<>();
            for (DNode c : children) {
                Set<String> s = c.eventNames();
                if (s == null) {
                    return null;
                }
                result.addAll(s);
            }
            return result;
        }
    }

    static final class Not extends DNode {
        final DNode child;

        Not(DNode child) {
            this.child = child;
        }

        @Override
        Condition condition() {
            Condition c = child.condition();
            return ctx -> !c.test(ctx);
        }

        @Override
        Set<String> eventNames() {
            return null;
        }
    }

    private final String file;
    private final FieldTable fields;
    private final Consumer<Diagnosis> warnings;
    /** The search identifiers and their definitions, read when the detection is constructed. */
    private final Map<String, SigmaDetection> definitions;
    private final Map<String, DNode> compiled = new HashMap<>();

    /** A warning to report: position and message. */
    static final class Diagnosis {
        final Position position;
        final String message;

        Diagnosis(Position position, String message) {
            this.position = position;
            this.message = message;
        }
    }

    /**
     * @param section     the detection mapping (or a filter's {@code filter:} mapping)
     * @param excluded    keys of the section that are not search identifiers ({@code condition}, {@code rules}...)
     */
    Detection(String file, Node section, Set<String> excluded, FieldTable fields, Consumer<Diagnosis> warnings) {
        this.file = file;
        this.fields = fields;
        this.warnings = warnings;
        Map<String, Node> all = SigmaYaml.map(file, section, "detection");
        Map<String, Node> keys = SigmaYaml.keys(section);
        this.definitions = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : all.entrySet()) {
            if (excluded.contains(e.getKey())) {
                continue;
            }
            if (e.getKey().equals("timeframe")) {
                throw new SigmaException(SigmaYaml.pos(file, keys.get("timeframe")), "'timeframe' is obsolete: "
                        + "write a Sigma correlation rule with a timespan");
            }
            definitions.put(e.getKey(), SigmaDetection.parse(file, e.getValue(), keys.get(e.getKey())));
        }
    }

    /** Search identifiers in definition order. */
    Set<String> identifiers() {
        return definitions.keySet();
    }

    /**
     * The detection node of the condition node (a string, or a list of strings ORed); identifiers the condition
     * does not use are compiled too, so that their errors are reported.
     */
    DNode condition(Node conditionNode) {
        DNode node = conditionOf(conditionNode);
        for (String id : definitions.keySet()) {
            identifier(id);
        }
        return node;
    }

    private DNode conditionOf(Node conditionNode) {
        if (conditionNode == null) {
            throw new SigmaException(new Position(file, 1, 1), "detection has no condition");
        }
        if (conditionNode instanceof SequenceNode) {
            List<DNode> alternatives = new ArrayList<>();
            for (Node c : ((SequenceNode) conditionNode).getValue()) {
                alternatives.add(conditionText(c));
            }
            if (alternatives.isEmpty()) {
                throw new SigmaException(SigmaYaml.pos(file, conditionNode), "condition list is empty");
            }
            return alternatives.size() == 1 ? alternatives.get(0) : new Or(alternatives);
        }
        return conditionText(conditionNode);
    }

    private DNode conditionText(Node n) {
        String text = SigmaYaml.string(file, n, "condition");
        SigmaCondition.Node parsed;
        try {
            parsed = SigmaCondition.parse(text);
        } catch (SigmaCondition.SyntaxError e) {
            throw new SigmaException(SigmaYaml.at(file, n, e.offset), "condition: " + e.getMessage());
        }
        return resolve(parsed, n);
    }

    private DNode resolve(SigmaCondition.Node c, Node conditionNode) {
        if (c instanceof SigmaCondition.Ident) {
            String name = ((SigmaCondition.Ident) c).name;
            if (!definitions.containsKey(name)) {
                throw new SigmaException(SigmaYaml.at(file, conditionNode, c.offset), "condition: search identifier '"
                        + name + "' is not defined in the detection (defined: " + definitions.keySet() + ")");
            }
            return identifier(name);
        }
        if (c instanceof SigmaCondition.Selector) {
            SigmaCondition.Selector s = (SigmaCondition.Selector) c;
            List<DNode> matched = new ArrayList<>();
            java.util.regex.Pattern p = s.pattern.equals("them") ? null
                    : java.util.regex.Pattern.compile(s.pattern.replace("*", ".*"));
            for (String id : definitions.keySet()) {
                boolean nameMatches = p == null || p.matcher(id).matches();
                boolean visible = !id.startsWith("_") || (p != null && s.pattern.startsWith("_"));
                if (nameMatches && visible) {
                    matched.add(identifier(id));
                }
            }
            if (matched.isEmpty()) {
                throw new SigmaException(SigmaYaml.at(file, conditionNode, c.offset), "condition: '"
                        + (s.all ? "all" : "1") + " of " + s.pattern + "' matches no search identifier");
            }
            if (matched.size() == 1) {
                return matched.get(0);
            }
            return s.all ? new And(matched) : new Or(matched);
        }
        if (c instanceof SigmaCondition.Not) {
            return new Not(resolve(((SigmaCondition.Not) c).child, conditionNode));
        }
        SigmaCondition.Op op = (SigmaCondition.Op) c;
        List<DNode> children = new ArrayList<>();
        for (SigmaCondition.Node x : op.children) {
            children.add(resolve(x, conditionNode));
        }
        return op.op.equals("and") ? new And(children) : new Or(children);
    }

    /** The compiled search identifier (compiled once, shared by every reference in the condition). */
    DNode identifier(String name) {
        DNode d = compiled.get(name);
        if (d == null) {
            d = compile(definitions.get(name));
            compiled.put(name, d);
        }
        return d;
    }

    /** A search identifier's definition compiled: items ANDed, alternatives ORed. */
    private DNode compile(SigmaDetection d) {
        List<DNode> out = new ArrayList<>();
        for (SigmaDetectionItem it : d.items) {
            out.add(it.isKeyword() ? keywords(it) : item(it));
        }
        if (!out.isEmpty()) {
            return out.size() == 1 ? out.get(0) : new And(out);
        }
        for (SigmaDetection a : d.alternatives) {
            out.add(compile(a));
        }
        return out.size() == 1 ? out.get(0) : new Or(out);
    }

    /** A keyword item: every value is searched in every leaf value of the event. */
    private DNode keywords(SigmaDetectionItem it) {
        Modifiers.Result r = modify(it.values, it.modifiers, true, it.at);
        List<Matching.ValueTest> tests = new ArrayList<>();
        for (SigmaValue v : r.values) {
            tests.add(test(keywordValue(v), it.at));
        }
        FieldRef ref = Matching.keywordRef(fields);
        return new Item(new Matching.Item(ref, tests, r.all, r.negated), null);
    }

    /** Keywords are searched anywhere in a value: plain strings get the contains wildcards. */
    private static SigmaValue keywordValue(SigmaValue v) {
        if (v instanceof SigmaString) {
            SigmaString s = (SigmaString) v;
            if (!s.endsWithMulti()) {
                s = s.appendMulti();
            }
            if (!s.startsWithMulti()) {
                s = s.prependMulti();
            }
            return s;
        }
        if (v instanceof SigmaValue.Num || v instanceof SigmaValue.Bool) {
            return keywordValue(SigmaString.literal(v.toString(), false));
        }
        if (v instanceof SigmaValue.Expansion) {
            List<SigmaValue> out = new ArrayList<>();
            for (SigmaValue x : ((SigmaValue.Expansion) v).values) {
                out.add(keywordValue(x));
            }
            return new SigmaValue.Expansion(out);
        }
        return v;
    }

    private DNode item(SigmaDetectionItem it) {
        Node keyNode = it.at;
        Modifiers.Result r = modify(it.values, it.modifiers, false, keyNode);
        if (r.all && it.written == 1) {
            warnings.accept(new Diagnosis(SigmaYaml.pos(file, keyNode), "'" + it.key + "': the 'all' modifier on a "
                    + "single value has no effect (the specification disallows it)"));
        }
        List<Matching.ValueTest> tests = new ArrayList<>();
        for (SigmaValue v : r.values) {
            tests.add(test(v, keyNode));
        }
        FieldRef ref = Matching.pathRef(fields, it.field);
        return new Item(new Matching.Item(ref, tests, r.all, r.negated), eventNames(it.field, r));
    }

    private Modifiers.Result modify(List<SigmaValue> values, List<String> modifiers, boolean keyword, Node at) {
        Position p = SigmaYaml.pos(file, at);
        return Modifiers.apply(values, modifiers, keyword, msg -> new SigmaException(p, msg),
                msg -> new SkipRule(p, msg));
    }

    private Matching.ValueTest test(SigmaValue v, Node at) {
        try {
            return Matching.compile(v, fields);
        } catch (IllegalArgumentException e) {
            throw new SigmaException(SigmaYaml.pos(file, at), e.getMessage());
        }
    }

    /** eventName index hint: an un-negated OR of plain strings (no wildcard) on the eventName field. */
    private static Set<String> eventNames(String field, Modifiers.Result r) {
        if (!field.equals("eventName") || r.negated || (r.all && r.values.size() > 1)) {
            return null;
        }
        Set<String> names = new HashSet<>();
        for (SigmaValue v : r.values) {
            if (!(v instanceof SigmaString) || ((SigmaString) v).hasSpecial() || ((SigmaString) v).binary) {
                return null;
            }
            names.add(((SigmaString) v).plain());
        }
        return names.isEmpty() ? null : names;
    }
}
