package io.trailguard.rules.loader;

import io.trailguard.rules.source.Position;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.source.RuleLoadException;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.source.YamlNodes;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the items of one Falco rules file (YAML into typed definitions with their positions) into a
 * {@link RuleCollector}, which holds what every file defined ({@code reference/falco.md} 3.1, 3.2): new
 * lists, macros and rules are defined here; an item that appends to or overrides an existing one is applied by
 * {@link FalcoOverrides}. An item with an error is reported and left out; the file's other items are read.
 */
final class FalcoFileReader {
    private static final Set<String> RULE_KEYS = Set.of("rule", "desc", "condition", "output", "priority", "tags",
            "source", "enabled", "exceptions", "append", "override", "skip-if-unknown-filter", "warn_evttypes",
            "capture", "capture_duration", "aggregate");
    private static final Set<String> RULE_APPEND_KEYS = Set.of("condition", "output", "desc", "tags", "exceptions");
    private static final Set<String> RULE_REPLACE_KEYS = Set.of("condition", "output", "desc", "priority", "tags",
            "exceptions", "enabled", "skip-if-unknown-filter", "warn_evttypes", "capture", "capture_duration",
            "aggregate");

    /** Rules, macros and lists one load may define in total. */
    static final int MAX_DEFINITIONS = 100_000;

    private final RuleSource source;
    private final RuleCollector out;
    private final FalcoYaml yaml;
    private final EngineRequirements requirements;
    private final ExceptionReader exceptions;
    private final FalcoOverrides overrides;

    FalcoFileReader(RuleSource source, RuleCollector out) {
        this.source = source;
        this.out = out;
        this.yaml = new FalcoYaml(source, out);
        this.requirements = new EngineRequirements(yaml);
        this.exceptions = new ExceptionReader(yaml);
        this.overrides = new FalcoOverrides(yaml);
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
                if (out.lists.size() + out.macros.size() + out.rules.size() >= MAX_DEFINITIONS) {
                    throw new RuleLoadException(pos(item), "more than " + MAX_DEFINITIONS + " lists, macros and rules");
                }
                try {
                    readItem((MappingNode) item);
                } catch (RuleLoadException e) {
                    // The item is left out and reading goes on, so one run reports every item's error (Falco
                    // stops the file at its first error; the items after it are not affected by it here).
                    out.error(e.position(), e.getMessage());
                }
            }
        }
    }

    private void readItem(MappingNode item) {
        Map<String, Node> e = yaml.entries(item);
        if (e.containsKey("required_engine_version")) {
            requirements.requiredEngineVersion(e.get("required_engine_version"));
        } else if (e.containsKey("required_plugin_versions")) {
            requirements.requiredPluginVersions(e.get("required_plugin_versions"));
        } else if (e.containsKey("list")) {
            list(item, e);
        } else if (e.containsKey("macro")) {
            macro(item, e);
        } else if (e.containsKey("rule")) {
            rule(item, e);
        } else {
            yaml.warn(pos(item), "Unknown top level item " + e.keySet() + ". The item will be ignored.");
        }
    }

    // ---- lists -----------------------------------------------------------------------------------

    private void list(MappingNode item, Map<String, Node> e) {
        String name = yaml.string(e.get("list"), "list name");
        if (!name.matches("[^()\"'\\s=,]+")) {
            yaml.warn(pos(e.get("list")), "List name '" + name + "' contains invalid characters");
        }
        yaml.warnUnknownKeys(item, Set.of("list", "items", "append", "override"));
        Modification mode = Modification.read(yaml, e, Set.of("items"), Set.of("items"));
        if (mode.isModification() && !mode.replacesOnly()) {
            overrides.list(out.previousList(name, pos(item)), item, e, mode);
            return;
        }
        if (!e.containsKey("items")) {
            throw new RuleLoadException(pos(item), "Item has no mapping for key 'items'");
        }
        List<String> items = yaml.strings(e.get("items"), "items");
        ListDef.checkSize(pos(item), name, items.size());
        out.define(new ListDef(name, items, pos(item), out.listOrder(name)));
    }

    // ---- macros ----------------------------------------------------------------------------------

    private void macro(MappingNode item, Map<String, Node> e) {
        String name = yaml.string(e.get("macro"), "macro name");
        if (!name.matches("[a-zA-Z]+[a-zA-Z0-9_]*")) {
            yaml.warn(pos(e.get("macro")), "Macro name '" + name + "' contains invalid characters");
        }
        yaml.warnUnknownKeys(item, Set.of("macro", "condition", "append", "override"));
        Modification mode = Modification.read(yaml, e, Set.of("condition"), Set.of("condition"));
        if (mode.isModification() && !mode.replacesOnly()) {
            overrides.macro(out.previousMacro(name, pos(item)), e, mode);
            return;
        }
        if (!e.containsKey("condition")) {
            throw new RuleLoadException(pos(item), "Item has no mapping for key 'condition'");
        }
        Node c = e.get("condition");
        out.define(new MacroDef(name, yaml.string(c, "condition"), pos(c), YamlNodes.isSingleLine(c), pos(item),
                out.macroOrder(name)));
    }

    // ---- rules -----------------------------------------------------------------------------------

    private void rule(MappingNode item, Map<String, Node> e) {
        String name = yaml.string(e.get("rule"), "rule name");
        yaml.warnUnknownKeys(item, RULE_KEYS);
        RuleDef existing = out.rules.get(name);
        Modification mode = Modification.read(yaml, e, RULE_APPEND_KEYS, RULE_REPLACE_KEYS);
        if (mode.isModification()) {
            existing = out.previousRule(name, "'append' or 'override'", pos(item));
            checkSameSource(existing, e);
            checkCapture(e);
            overrides.rule(existing, item, e, mode);
            return;
        }
        boolean hasBody = e.containsKey("condition") || e.containsKey("output") || e.containsKey("desc")
                || e.containsKey("priority");
        if (!hasBody && e.containsKey("enabled")) {
            existing = out.previousRule(name, "'enabled'", pos(item));
            yaml.warn(pos(item), "Defining a rule with only 'enabled' to toggle it is deprecated: use "
                    + "'override: {enabled: replace}'");
            existing.enabled = yaml.bool(e.get("enabled"), "enabled");
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
        RuleDef def = new RuleDef(name, pos(item), out.ruleOrder(name));
        Node c = e.get("condition");
        def.condition = yaml.string(c, "condition");
        def.conditionPosition = pos(c);
        def.conditionSingleLine = YamlNodes.isSingleLine(c);
        def.output = yaml.string(e.get("output"), "output").trim();
        def.outputPosition = pos(e.get("output"));
        def.desc = yaml.string(e.get("desc"), "desc");
        try {
            def.priority = yaml.priority(e.get("priority"));
        } catch (RuleLoadException bad) {
            // the error fails the load; the rule is still compiled so that its condition's errors are reported too
            out.error(bad.position(), bad.getMessage());
            def.priority = Priority.WARNING;
        }
        def.source = e.containsKey("source") ? yaml.string(e.get("source"), "source") : null;
        if (e.containsKey("tags")) {
            def.tags.addAll(yaml.strings(e.get("tags"), "tags"));
        }
        if (e.containsKey("enabled")) {
            def.enabled = yaml.bool(e.get("enabled"), "enabled");
        }
        if (e.containsKey("skip-if-unknown-filter")) {
            def.skipIfUnknownFilter = yaml.bool(e.get("skip-if-unknown-filter"), "skip-if-unknown-filter");
        }
        if (e.containsKey("exceptions")) {
            def.exceptions.addAll(exceptions.exceptions(e.get("exceptions"), null));
        }
        if (e.containsKey("aggregate")) {
            def.aggregate = AggregateReader.read(yaml, e.get("aggregate"));
        }
        checkCapture(e);
        out.define(def);
    }

    /**
     * {@code capture} and {@code capture_duration} record syscall captures, which a CloudTrail engine has none of:
     * they are accepted and ignored, but must have Falco's types (a boolean; milliseconds as an unsigned integer).
     */
    void checkCapture(Map<String, Node> e) {
        if (e.containsKey("capture")) {
            String v = yaml.string(e.get("capture"), "capture").toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("true", "false", "yes", "no", "on", "off", "y", "n").contains(v)) {
                throw new RuleLoadException(pos(e.get("capture")), "capture must be a boolean, not '" + v + "'");
            }
        }
        if (e.containsKey("capture_duration")) {
            String v = yaml.string(e.get("capture_duration"), "capture_duration");
            if (!v.matches("[0-9]{1,10}") || Long.parseLong(v) > 0xFFFFFFFFL) {
                throw new RuleLoadException(pos(e.get("capture_duration")), "capture_duration must be a number of "
                        + "milliseconds (an unsigned integer), not '" + v + "'");
            }
        }
    }

    private void checkSameSource(RuleDef existing, Map<String, Node> e) {
        Node n = e.get("source");
        if (n != null && !YamlNodes.isNull(n)) {
            RuleCollector.checkSameSource(existing, yaml.string(n, "source"), pos(n));
        }
    }

    private Position pos(Node n) {
        return yaml.pos(n);
    }
}
