package io.trailguard.rules.loader;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.source.Position;
import io.trailguard.rules.source.RuleLoadException;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.source.YamlNodes;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the items of one Falco rules file into a {@link RuleCollector}, applying {@code append} and
 * {@code override} as Falco does ({@code reference/falco.md} 3.1, 3.2, 3.7, 3.8). The first error stops the file.
 */
final class FalcoFileReader {
    private static final Set<String> RULE_KEYS = Set.of("rule", "desc", "condition", "output", "priority", "tags",
            "source", "enabled", "exceptions", "append", "override", "skip-if-unknown-filter", "warn_evttypes",
            "capture", "capture_duration", "aggregate");
    private static final Set<String> AGGREGATE_KEYS = Set.of("type", "group_by", "timespan", "field", "gt", "gte",
            "lt", "lte", "eq", "neq");
    private static final Set<String> RULE_APPEND_KEYS = Set.of("condition", "output", "desc", "tags", "exceptions");
    private static final Set<String> RULE_REPLACE_KEYS = Set.of("condition", "output", "desc", "priority", "tags",
            "exceptions", "enabled", "skip-if-unknown-filter", "warn_evttypes", "capture", "capture_duration",
            "aggregate");
    private static final Set<String> EXCEPTION_KEYS = Set.of("name", "fields", "comps", "values");
    static final Set<String> COMPARISON_OPERATORS = Set.of("=", "==", "!=", "<", "<=", ">", ">=", "contains",
            "icontains", "startswith", "endswith", "glob", "iglob", "regex", "in", "intersects", "pmatch");
    static final Set<String> LIST_OPERATORS = Set.of("in", "intersects", "pmatch");

    /** Items one list may hold (after appends). */
    static final int MAX_LIST_ITEMS = 10_000;
    /** Rules, macros and lists one load may define in total. */
    static final int MAX_DEFINITIONS = 100_000;

    private final RuleSource source;
    private final String file;
    private final RuleCollector out;

    FalcoFileReader(RuleSource source, RuleCollector out) {
        this.source = source;
        this.file = source.name();
        this.out = out;
    }

    void read() {
        read(YamlNodes.documents(source));
    }

    /** Reads the file's already-composed YAML documents. */
    void read(List<Node> documents) {
        for (Node doc : documents) {
            if (YamlNodes.isNull(doc)) {
                continue;
            }
            if (!(doc instanceof SequenceNode)) {
                throw new RuleLoadException(pos(doc), "Rules content is not yaml array of objects");
            }
            for (Node item : ((SequenceNode) doc).getValue()) {
                if (!(item instanceof MappingNode)) {
                    throw new RuleLoadException(pos(item), "Unexpected element type. Each element should be a yaml "
                            + "associative array.");
                }
                readItem((MappingNode) item);
            }
        }
    }

    private void readItem(MappingNode item) {
        if (out.lists.size() + out.macros.size() + out.rules.size() >= MAX_DEFINITIONS) {
            throw new RuleLoadException(pos(item), "more than " + MAX_DEFINITIONS + " lists, macros and rules");
        }
        Map<String, Node> e = YamlNodes.entries(file, item);
        if (e.containsKey("required_engine_version")) {
            requiredEngineVersion(e.get("required_engine_version"));
        } else if (e.containsKey("required_plugin_versions")) {
            requiredPluginVersions(e.get("required_plugin_versions"));
        } else if (e.containsKey("list")) {
            list(item, e);
        } else if (e.containsKey("macro")) {
            macro(item, e);
        } else if (e.containsKey("rule")) {
            rule(item, e);
        } else {
            out.warn(pos(item), "Unknown top level item " + e.keySet() + ". The item will be ignored.");
        }
    }

    // ---- versions --------------------------------------------------------------------------------

    private void requiredEngineVersion(Node n) {
        String v = YamlNodes.string(file, n, "required_engine_version");
        int[] required;
        try {
            required = Versions.parse(v, true);
        } catch (IllegalArgumentException ex) {
            throw new RuleLoadException(pos(n), "Unable to parse engine version '" + v + "' as a semver string. "
                    + "Expected \"x.y.z\" semver format.");
        }
        if (!Versions.compatible(Versions.parse(Versions.ENGINE, false), required)) {
            throw new RuleLoadException(pos(n), "Rules require engine version " + v + ", but engine version is "
                    + Versions.ENGINE);
        }
    }

    private void requiredPluginVersions(Node n) {
        if (!(n instanceof SequenceNode)) {
            throw new RuleLoadException(pos(n), "required_plugin_versions must be a sequence");
        }
        for (Node req : ((SequenceNode) n).getValue()) {
            if (!(req instanceof MappingNode)) {
                throw new RuleLoadException(pos(req), "required_plugin_versions items must be mappings");
            }
            Map<String, Node> r = YamlNodes.entries(file, (MappingNode) req);
            List<String[]> candidates = new ArrayList<>();
            candidates.add(pluginRequirement(req, r));
            Node alternatives = r.get("alternatives");
            if (alternatives instanceof SequenceNode) {
                for (Node alt : ((SequenceNode) alternatives).getValue()) {
                    if (alt instanceof MappingNode) {
                        candidates.add(pluginRequirement(alt, YamlNodes.entries(file, (MappingNode) alt)));
                    }
                }
            }
            checkPlugin(pos(req), candidates);
        }
    }

    private String[] pluginRequirement(Node where, Map<String, Node> r) {
        if (!r.containsKey("name") || !r.containsKey("version")) {
            throw new RuleLoadException(pos(where), "required_plugin_versions entries need 'name' and 'version'");
        }
        return new String[] {YamlNodes.string(file, r.get("name"), "name"),
            YamlNodes.string(file, r.get("version"), "version")};
    }

    private void checkPlugin(Position p, List<String[]> candidates) {
        String firstError = null;
        boolean anyKnown = false;
        for (String[] c : candidates) {
            String have = Versions.plugin(c[0]);
            if (have == null) {
                continue;
            }
            anyKnown = true;
            int[] required;
            try {
                required = Versions.parse(c[1], false);
            } catch (IllegalArgumentException ex) {
                throw new RuleLoadException(p, "Plugin version string '" + c[1] + "' is not a valid version");
            }
            if (Versions.compatible(Versions.parse(have, false), required)) {
                return;
            }
            if (firstError == null) {
                firstError = "Plugin '" + c[0] + "' version '" + have + "' is not compatible with required plugin "
                        + "version '" + c[1] + "'";
            }
        }
        if (firstError != null) {
            throw new RuleLoadException(p, firstError);
        }
        if (!anyKnown) {
            out.warn(p, "required plugin '" + candidates.get(0)[0] + "' is not part of Trailguard (it implements "
                    + "the cloudtrail and json plugins); rules of other sources are skipped");
        }
    }

    // ---- lists -----------------------------------------------------------------------------------

    private void list(MappingNode item, Map<String, Node> e) {
        String name = YamlNodes.string(file, e.get("list"), "list name");
        if (!name.matches("[^()\"'\\s=,]+")) {
            out.warn(pos(e.get("list")), "List name '" + name + "' contains invalid characters");
        }
        warnUnknownKeys(item, Set.of("list", "items", "append", "override"));
        Mode mode = mode(item, e, Set.of("items"), Set.of("items"));
        ListDef existing = out.lists.get(name);
        if (mode.isModification()) {
            if (existing == null) {
                throw new RuleLoadException(pos(item), "List has 'append' or 'override' key but no list by that "
                        + "name already exists");
            }
            List<String> items = e.containsKey("items") ? YamlNodes.strings(file, e.get("items"), "items")
                    : Collections.emptyList();
            if (mode.replaces("items")) {
                existing.items.clear();
            }
            existing.items.addAll(items);
            checkListSize(item, name, existing.items.size());
            return;
        }
        if (!e.containsKey("items")) {
            throw new RuleLoadException(pos(item), "Item has no mapping for key 'items'");
        }
        List<String> items = YamlNodes.strings(file, e.get("items"), "items");
        checkListSize(item, name, items.size());
        ListDef def = new ListDef(name, items, pos(item), existing != null ? existing.order : out.nextOrder());
        out.lists.put(name, def);
    }

    private void checkListSize(Node item, String name, int size) {
        if (size > MAX_LIST_ITEMS) {
            throw new RuleLoadException(pos(item), "list '" + name + "' has " + size + " items; the limit is "
                    + MAX_LIST_ITEMS);
        }
    }

    // ---- macros ----------------------------------------------------------------------------------

    private void macro(MappingNode item, Map<String, Node> e) {
        String name = YamlNodes.string(file, e.get("macro"), "macro name");
        if (!name.matches("[a-zA-Z]+[a-zA-Z0-9_]*")) {
            out.warn(pos(e.get("macro")), "Macro name '" + name + "' contains invalid characters");
        }
        warnUnknownKeys(item, Set.of("macro", "condition", "append", "override"));
        Mode mode = mode(item, e, Set.of("condition"), Set.of("condition"));
        MacroDef existing = out.macros.get(name);
        if (mode.isModification()) {
            if (existing == null) {
                throw new RuleLoadException(pos(item), "Macro has 'append' or 'override' key but no macro by that "
                        + "name already exists");
            }
            if (e.containsKey("condition")) {
                String cond = YamlNodes.string(file, e.get("condition"), "condition");
                if (mode.replaces("condition")) {
                    existing.condition = cond;
                    existing.conditionPosition = pos(e.get("condition"));
                    existing.conditionSingleLine = YamlNodes.isSingleLine(e.get("condition"));
                } else {
                    existing.condition = existing.condition + " " + cond;
                    existing.conditionSingleLine = false;
                }
            }
            return;
        }
        if (!e.containsKey("condition")) {
            throw new RuleLoadException(pos(item), "Item has no mapping for key 'condition'");
        }
        Node c = e.get("condition");
        MacroDef def = new MacroDef(name, YamlNodes.string(file, c, "condition"), pos(c), YamlNodes.isSingleLine(c),
                pos(item), existing != null ? existing.order : out.nextOrder());
        out.macros.put(name, def);
    }

    // ---- rules -----------------------------------------------------------------------------------

    private void rule(MappingNode item, Map<String, Node> e) {
        String name = YamlNodes.string(file, e.get("rule"), "rule name");
        warnUnknownKeys(item, RULE_KEYS);
        RuleDef existing = out.rules.get(name);
        Mode mode = mode(item, e, RULE_APPEND_KEYS, RULE_REPLACE_KEYS);
        if (mode.isModification()) {
            if (existing == null) {
                throw new RuleLoadException(pos(item), "Rule has 'append' or 'override' key but no rule by that "
                        + "name already exists");
            }
            checkSameSource(existing, e);
            modifyRule(existing, e, mode);
            return;
        }
        boolean hasBody = e.containsKey("condition") || e.containsKey("output") || e.containsKey("desc")
                || e.containsKey("priority");
        if (!hasBody && e.containsKey("enabled")) {
            if (existing == null) {
                throw new RuleLoadException(pos(item), "Rule has 'enabled' key but no rule by that name already "
                        + "exists");
            }
            out.warn(pos(item), "Defining a rule with only 'enabled' to toggle it is deprecated: use "
                    + "'override: {enabled: replace}'");
            existing.enabled = YamlNodes.bool(file, e.get("enabled"), "enabled");
            return;
        }
        for (String k : Arrays.asList("condition", "output", "desc", "priority")) {
            if (!e.containsKey(k)) {
                throw new RuleLoadException(pos(item), "Item has no mapping for key '" + k + "'");
            }
        }
        if (existing != null) {
            checkSameSource(existing, e);
        }
        RuleDef def = new RuleDef(name, pos(item), existing != null ? existing.order : out.nextOrder());
        Node c = e.get("condition");
        def.condition = YamlNodes.string(file, c, "condition");
        def.conditionPosition = pos(c);
        def.conditionSingleLine = YamlNodes.isSingleLine(c);
        def.output = YamlNodes.string(file, e.get("output"), "output").trim();
        def.outputPosition = pos(e.get("output"));
        def.desc = YamlNodes.string(file, e.get("desc"), "desc");
        def.priority = priority(e.get("priority"));
        def.source = e.containsKey("source") ? YamlNodes.string(file, e.get("source"), "source") : null;
        if (e.containsKey("tags")) {
            def.tags.addAll(YamlNodes.strings(file, e.get("tags"), "tags"));
        }
        if (e.containsKey("enabled")) {
            def.enabled = YamlNodes.bool(file, e.get("enabled"), "enabled");
        }
        if (e.containsKey("skip-if-unknown-filter")) {
            def.skipIfUnknownFilter = YamlNodes.bool(file, e.get("skip-if-unknown-filter"), "skip-if-unknown-filter");
        }
        if (e.containsKey("exceptions")) {
            def.exceptions.addAll(exceptions(e.get("exceptions"), null));
        }
        if (e.containsKey("aggregate")) {
            def.aggregate = aggregate(e.get("aggregate"));
        }
        out.rules.put(name, def);
    }

    private void checkSameSource(RuleDef existing, Map<String, Node> e) {
        if (e.containsKey("source")) {
            String s = YamlNodes.string(file, e.get("source"), "source");
            String old = existing.source == null ? "syscall" : existing.source;
            if (!s.equals(old)) {
                throw new RuleLoadException(pos(e.get("source")), "Rule '" + existing.name + "' is already defined "
                        + "with source '" + old + "'; a rule of the same name cannot have source '" + s + "'");
            }
        }
    }

    private void modifyRule(RuleDef r, Map<String, Node> e, Mode mode) {
        for (String key : mode.keys()) {
            Node v = e.get(key);
            boolean replace = mode.replaces(key);
            switch (key) {
                case "condition": {
                    String c = YamlNodes.string(file, v, "condition");
                    if (replace) {
                        r.condition = c;
                        r.conditionPosition = pos(v);
                        r.conditionSingleLine = YamlNodes.isSingleLine(v);
                    } else {
                        r.condition = r.condition + " " + c;
                        r.conditionSingleLine = false;
                    }
                    break;
                }
                case "output": {
                    String o = YamlNodes.string(file, v, "output").trim();
                    r.output = replace ? o : r.output + " " + o;
                    r.outputPosition = pos(v);
                    break;
                }
                case "desc": {
                    String d = YamlNodes.string(file, v, "desc");
                    r.desc = replace ? d : r.desc + " " + d;
                    break;
                }
                case "tags": {
                    List<String> tags = YamlNodes.strings(file, v, "tags");
                    if (replace) {
                        r.tags.clear();
                    }
                    r.tags.addAll(tags);
                    break;
                }
                case "exceptions":
                    if (replace) {
                        r.exceptions = new ArrayList<>(exceptions(v, null));
                    } else {
                        mergeExceptions(r, v);
                    }
                    break;
                case "priority":
                    r.priority = priority(v);
                    break;
                case "enabled":
                    r.enabled = YamlNodes.bool(file, v, "enabled");
                    break;
                case "skip-if-unknown-filter":
                    r.skipIfUnknownFilter = YamlNodes.bool(file, v, "skip-if-unknown-filter");
                    break;
                case "aggregate":
                    r.aggregate = aggregate(v);
                    break;
                default:
                    break; // syscall-only keys (capture, warn_evttypes): accepted and ignored
            }
        }
    }

    /** Appending exceptions: a known name may only add values; a new name needs fields and values. */
    private void mergeExceptions(RuleDef r, Node v) {
        for (ExceptionDef add : exceptions(v, r)) {
            ExceptionDef old = null;
            for (ExceptionDef x : r.exceptions) {
                if (x.name.equals(add.name)) {
                    old = x;
                }
            }
            if (old == null) {
                if (add.fields.isEmpty()) {
                    throw new RuleLoadException(add.position, "Rule exception new item " + add.name
                            + ": must have fields property with a list of fields");
                }
                r.exceptions.add(add);
            } else {
                old.values.addAll(add.values);
            }
        }
    }

    /**
     * Parses an {@code exceptions} sequence. When {@code appendTo} is given, items naming an existing exception
     * may omit fields/comps (and must not change them).
     */
    private List<ExceptionDef> exceptions(Node n, RuleDef appendTo) {
        if (!(n instanceof SequenceNode)) {
            throw new RuleLoadException(pos(n), "exceptions must be a sequence");
        }
        List<ExceptionDef> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node x : ((SequenceNode) n).getValue()) {
            if (!(x instanceof MappingNode)) {
                throw new RuleLoadException(pos(x), "exceptions items must be mappings");
            }
            warnUnknownKeys((MappingNode) x, EXCEPTION_KEYS);
            Map<String, Node> m = YamlNodes.entries(file, (MappingNode) x);
            if (!m.containsKey("name")) {
                throw new RuleLoadException(pos(x), "Item has no mapping for key 'name'");
            }
            String name = YamlNodes.string(file, m.get("name"), "exception name");
            if (!names.add(name)) {
                out.warn(pos(x), "Multiple definitions of exception '" + name + "' in the same rule");
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
                    throw new RuleLoadException(pos(x), "Can not append exception fields or comps to existing "
                            + "exception '" + name + "', only values");
                }
                List<Object> values = m.containsKey("values")
                        ? exceptionValues(m.get("values"), existing.singleField, existing.fields.size())
                        : Collections.emptyList();
                result.add(new ExceptionDef(name, existing.singleField, existing.fields, existing.comps, values,
                        pos(x)));
                continue;
            }
            result.add(exception(x, name, m));
        }
        return result;
    }

    private ExceptionDef exception(Node x, String name, Map<String, Node> m) {
        Node fieldsNode = m.get("fields");
        if (fieldsNode == null) {
            return new ExceptionDef(name, false, Collections.emptyList(), Collections.emptyList(),
                    Collections.emptyList(), pos(x));
        }
        boolean single = fieldsNode instanceof ScalarNode;
        List<String> fields = single ? List.of(YamlNodes.string(file, fieldsNode, "fields"))
                : YamlNodes.strings(file, fieldsNode, "fields");
        List<String> comps;
        Node compsNode = m.get("comps");
        if (single) {
            String comp = compsNode == null ? "in" : YamlNodes.string(file, compsNode, "comps");
            if (!LIST_OPERATORS.contains(comp)) {
                throw new RuleLoadException(pos(compsNode), "Rule exception item " + name + ": comps must be in, "
                        + "pmatch or intersects when fields is a single value");
            }
            comps = List.of(comp);
        } else {
            if (compsNode == null) {
                comps = Collections.nCopies(fields.size(), "=");
            } else {
                if (compsNode instanceof ScalarNode) {
                    throw new RuleLoadException(pos(compsNode), "Rule exception item " + name + ": fields and comps "
                            + "lists must have equal length");
                }
                comps = YamlNodes.strings(file, compsNode, "comps");
                if (comps.size() != fields.size()) {
                    throw new RuleLoadException(pos(compsNode), "Rule exception item " + name + ": fields and comps "
                            + "lists must have equal length");
                }
            }
        }
        for (String c : comps) {
            if (!COMPARISON_OPERATORS.contains(c)) {
                throw new RuleLoadException(pos(compsNode), "Rule exception item " + name + ": comparison operator "
                        + "'" + c + "' is not a valid operator");
            }
        }
        List<Object> values = m.containsKey("values") ? exceptionValues(m.get("values"), single, fields.size())
                : Collections.emptyList();
        return new ExceptionDef(name, single, fields, comps, values, pos(x));
    }

    private List<Object> exceptionValues(Node n, boolean single, int arity) {
        if (!(n instanceof SequenceNode)) {
            throw new RuleLoadException(pos(n), "exception values must be a sequence");
        }
        List<Object> values = new ArrayList<>();
        for (Node v : ((SequenceNode) n).getValue()) {
            if (single) {
                values.add(YamlNodes.string(file, v, "exception value"));
                continue;
            }
            if (!(v instanceof SequenceNode)) {
                throw new RuleLoadException(pos(v), "Expected values array for exception to contain lists of values");
            }
            List<Node> items = ((SequenceNode) v).getValue();
            if (items.size() != arity) {
                throw new RuleLoadException(pos(v), "Fields and values lists must have equal length");
            }
            List<Object> tuple = new ArrayList<>();
            for (Node i : items) {
                if (i instanceof SequenceNode) {
                    tuple.add(YamlNodes.strings(file, i, "exception value"));
                } else {
                    tuple.add(YamlNodes.string(file, i, "exception value"));
                }
            }
            values.add(tuple);
        }
        return values;
    }

    /** The {@code aggregate:} block of a rate rule (Trailguard extension; see the README). */
    private AggregateDef aggregate(Node n) {
        if (!(n instanceof MappingNode)) {
            throw new RuleLoadException(pos(n), "aggregate must be a mapping with type, timespan and a threshold");
        }
        warnUnknownKeys((MappingNode) n, AGGREGATE_KEYS);
        Map<String, Node> a = YamlNodes.entries(file, (MappingNode) n);
        if (!a.containsKey("type")) {
            throw new RuleLoadException(pos(n), "aggregate needs a 'type': event_count or value_count");
        }
        String type = YamlNodes.string(file, a.get("type"), "aggregate type");
        AggregateType t = AggregateType.parse(type);
        if (t == null || t.isTemporal()) {
            throw new RuleLoadException(pos(a.get("type")), "unknown aggregate type '" + type + "' (expected "
                    + "event_count, value_count, value_sum or value_avg"
                    + (t == null ? ")" : "; temporal correlations are written as Sigma correlation rules)"));
        }
        String field = a.containsKey("field") ? YamlNodes.string(file, a.get("field"), "aggregate field") : null;
        if (t.needsField() && field == null) {
            throw new RuleLoadException(pos(n), "aggregate type " + type + " needs a 'field' to measure");
        }
        if (!t.needsField() && field != null) {
            throw new RuleLoadException(pos(a.get("field")), "aggregate type event_count takes no 'field'");
        }
        List<String> groupBy = Collections.emptyList();
        if (a.containsKey("group_by")) {
            Node g = a.get("group_by");
            groupBy = g instanceof ScalarNode ? List.of(YamlNodes.string(file, g, "group_by"))
                    : YamlNodes.strings(file, g, "group_by");
        }
        if (!a.containsKey("timespan")) {
            throw new RuleLoadException(pos(n), "aggregate needs a 'timespan' (e.g. 5m; units s, m, h, d)");
        }
        String span = YamlNodes.string(file, a.get("timespan"), "timespan");
        long millis = AggregateSpec.parseTimespan(span);
        if (millis <= 0) {
            throw new RuleLoadException(pos(a.get("timespan")), "invalid timespan '" + span + "' (a positive number "
                    + "followed by s, m, h or d, e.g. 5m)");
        }
        List<String> ops = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String op : Arrays.asList("gt", "gte", "lt", "lte", "eq", "neq")) {
            if (a.containsKey(op)) {
                String v = YamlNodes.string(file, a.get(op), op);
                try {
                    values.add(Double.parseDouble(v));
                } catch (NumberFormatException ex) {
                    throw new RuleLoadException(pos(a.get(op)), "aggregate " + op + " must be a number, not '" + v + "'");
                }
                ops.add(op);
            }
        }
        if (ops.isEmpty() || ops.size() > 2) {
            throw new RuleLoadException(pos(n), "aggregate needs exactly one threshold, or two for a range, of "
                    + "gt, gte, lt, lte, eq, neq (found " + ops.size() + ")");
        }
        return new AggregateDef(type, groupBy, field, millis, span, ops, values, pos(n));
    }

    private Priority priority(Node n) {
        String p = YamlNodes.string(file, n, "priority");
        Priority parsed = Priority.parse(p);
        if (parsed == null) {
            throw new RuleLoadException(pos(n), "Invalid priority '" + p + "' (expected one of emergency, alert, "
                    + "critical, error, warning, notice, informational, debug)");
        }
        return parsed;
    }

    // ---- append / override -----------------------------------------------------------------------

    /** How an item modifies an existing definition: not at all, by 'append: true', or by 'override'. */
    private static final class Mode {
        final boolean append;
        final Map<String, String> override; // key -> append|replace, or null

        Mode(boolean append, Map<String, String> override) {
            this.append = append;
            this.override = override;
        }

        boolean isModification() {
            return append || override != null;
        }

        boolean replaces(String key) {
            return override != null && "replace".equals(override.get(key));
        }

        Set<String> keys() {
            return override != null ? override.keySet() : APPEND_ALL;
        }

        private static final Set<String> APPEND_ALL = new LinkedHashSet<>(Arrays.asList("condition", "output",
                "desc", "tags", "exceptions", "items"));
    }

    private Mode mode(MappingNode item, Map<String, Node> e, Set<String> appendable, Set<String> replaceable) {
        boolean append = e.containsKey("append") && YamlNodes.bool(file, e.get("append"), "append");
        Node ov = e.get("override");
        if (ov == null) {
            if (append) {
                out.warn(pos(e.get("append")), "'append' key is deprecated. Add an 'append' entry (e.g. "
                        + "'condition: append') under 'override' instead.");
                for (String k : e.keySet()) {
                    if (replaceable.contains(k) && !appendable.contains(k)) {
                        throw new RuleLoadException(pos(e.get(k)), "Key '" + k + "' cannot be appended to, use "
                                + "'replace' instead");
                    }
                }
                Map<String, String> keys = new java.util.LinkedHashMap<>();
                for (String k : e.keySet()) {
                    if (appendable.contains(k)) {
                        keys.put(k, "append");
                    }
                }
                return new Mode(true, keys);
            }
            return new Mode(false, null);
        }
        if (append) {
            throw new RuleLoadException(pos(ov), "Keys 'override' and 'append: true' cannot be used together. Add an "
                    + "'append' entry (e.g. 'condition: append') under 'override' instead.");
        }
        if (!(ov instanceof MappingNode)) {
            throw new RuleLoadException(pos(ov), "'override' must be a mapping of keys to append or replace");
        }
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Node> o : YamlNodes.entries(file, (MappingNode) ov).entrySet()) {
            String how = YamlNodes.string(file, o.getValue(), "override value");
            String key = o.getKey();
            if (how.equals("append")) {
                if (!appendable.contains(key)) {
                    throw new RuleLoadException(pos(o.getValue()), "Key '" + key + "' cannot be appended to, use "
                            + "'replace' instead");
                }
            } else if (how.equals("replace")) {
                if (!replaceable.contains(key)) {
                    throw new RuleLoadException(pos(o.getValue()), "Key '" + key + "' cannot be replaced");
                }
            } else {
                throw new RuleLoadException(pos(o.getValue()), "Invalid override value '" + how + "' for key '" + key
                        + "': expected 'append' or 'replace'");
            }
            if (!e.containsKey(key)) {
                throw new RuleLoadException(pos(o.getValue()), "An " + how + " override for '" + key + "' was "
                        + "specified but '" + key + "' is not defined");
            }
            keys.put(key, how);
        }
        for (String k : e.keySet()) {
            if ((appendable.contains(k) || replaceable.contains(k)) && !keys.containsKey(k)) {
                throw new RuleLoadException(pos(e.get(k)), "Unexpected key '" + k + "': no corresponding entry under "
                        + "'override' is defined.");
            }
        }
        return new Mode(false, keys);
    }

    private void warnUnknownKeys(MappingNode item, Set<String> known) {
        for (Map.Entry<String, Node> k : YamlNodes.keyNodes(item).entrySet()) {
            if (!known.contains(k.getKey())) {
                out.warn(pos(k.getValue()), "Unknown key '" + k.getKey() + "'. The key will be ignored.");
            }
        }
    }

    private Position pos(Node n) {
        return n == null ? new Position(file, 1, 1) : Position.of(file, n);
    }
}
