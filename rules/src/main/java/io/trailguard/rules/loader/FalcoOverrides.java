package io.trailguard.rules.loader;

import io.trailguard.rules.source.RuleLoadException;
import io.trailguard.rules.source.YamlNodes;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Applies an item that appends to or overrides an existing Falco list, macro or rule ({@code reference/falco.md}
 * 3.8), as Falco's collector does. Each key's value is read and applied in turn, so the first bad key stops the
 * file with what came before it applied.
 */
final class FalcoOverrides {
    private final FalcoYaml yaml;
    private final ExceptionReader exceptions;

    FalcoOverrides(FalcoYaml yaml) {
        this.yaml = yaml;
        this.exceptions = new ExceptionReader(yaml);
    }

    void list(ListDef existing, MappingNode item, Map<String, Node> e, Modification mode) {
        List<String> items = e.containsKey("items") ? yaml.strings(e.get("items"), "items")
                : Collections.emptyList();
        if (mode.replaces("items")) {
            existing.items.clear();
        }
        existing.items.addAll(items);
        ListDef.checkSize(yaml.pos(item), existing.name, existing.items.size());
    }

    void macro(MacroDef existing, Map<String, Node> e, Modification mode) {
        if (e.containsKey("condition")) {
            String cond = yaml.string(e.get("condition"), "condition");
            if (mode.replaces("condition")) {
                existing.condition = cond;
                existing.conditionPosition = yaml.pos(e.get("condition"));
                existing.conditionSingleLine = YamlNodes.isSingleLine(e.get("condition"));
                existing.appendedAt = null;
            } else {
                existing.condition = existing.condition + " " + cond;
                existing.conditionSingleLine = false;
                existing.appendedAt = yaml.pos(e.get("condition"));
            }
        }
    }

    void rule(RuleDef r, MappingNode item, Map<String, Node> e, Modification mode) {
        if (mode.keys().isEmpty()) {
            throw new RuleLoadException(yaml.pos(item), "Appended rule must have exceptions or condition property");
        }
        for (String key : mode.keys()) {
            Node v = e.get(key);
            boolean replace = mode.replaces(key);
            switch (key) {
                case "condition": {
                    String c = yaml.string(v, "condition");
                    if (replace) {
                        r.condition = c;
                        r.conditionPosition = yaml.pos(v);
                        r.conditionSingleLine = YamlNodes.isSingleLine(v);
                        r.appendedAt = null;
                    } else {
                        r.condition = r.condition + " " + c;
                        r.conditionSingleLine = false;
                        r.appendedAt = yaml.pos(v);
                    }
                    break;
                }
                case "output": {
                    String o = yaml.string(v, "output").trim();
                    r.output = replace ? o : r.output + " " + o;
                    r.outputPosition = yaml.pos(v);
                    break;
                }
                case "desc": {
                    String d = yaml.string(v, "desc");
                    r.desc = replace ? d : r.desc + " " + d;
                    break;
                }
                case "tags": {
                    List<String> tags = yaml.strings(v, "tags");
                    if (replace) {
                        r.tags.clear();
                    }
                    r.tags.addAll(tags);
                    break;
                }
                case "exceptions":
                    if (replace) {
                        r.exceptions = new ArrayList<>(exceptions.exceptions(v, null));
                    } else {
                        mergeExceptions(r, v);
                    }
                    break;
                case "priority":
                    r.priority = yaml.priority(v);
                    break;
                case "enabled":
                    r.enabled = yaml.bool(v, "enabled");
                    break;
                case "skip-if-unknown-filter":
                    r.skipIfUnknownFilter = yaml.bool(v, "skip-if-unknown-filter");
                    break;
                case "aggregate":
                    r.aggregate = AggregateReader.read(yaml, v);
                    break;
                default:
                    break; // syscall-only keys (capture, warn_evttypes): accepted and ignored
            }
        }
    }

    /** Appending exceptions: a known name may only add values; a new name needs fields and values. */
    private void mergeExceptions(RuleDef r, Node v) {
        for (ExceptionDef add : exceptions.exceptions(v, r)) {
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
                if (add.values.isEmpty()) {
                    throw new RuleLoadException(add.position, "Rule exception new item " + add.name
                            + ": Rule exception must have values property with a list of values");
                }
                r.exceptions.add(add);
            } else {
                old.values.addAll(add.values);
            }
        }
    }
}
