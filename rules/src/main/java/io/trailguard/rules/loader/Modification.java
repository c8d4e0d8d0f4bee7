package io.trailguard.rules.loader;

import io.trailguard.rules.source.RuleLoadException;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How a Falco item modifies an existing definition: not at all, by the deprecated {@code append: true}, or by
 * {@code override} with {@code append} or {@code replace} per key ({@code reference/falco.md} 3.8).
 */
final class Modification {
    private static final Set<String> APPEND_ALL = new LinkedHashSet<>(Arrays.asList("condition", "output",
            "desc", "tags", "exceptions", "items"));

    /** What a deprecated {@code append: true} item contributes (rule_loader_reader.cpp). */
    private static final Set<String> LEGACY_APPEND_KEYS = Set.of("condition", "exceptions", "items");

    private final boolean append;
    private final Map<String, String> override; // key -> append|replace, or null

    private Modification(boolean append, Map<String, String> override) {
        this.append = append;
        this.override = override;
    }

    boolean isModification() {
        return append || override != null;
    }

    /** Whether the item only replaces keys (an override with no append): for lists and macros, a definition. */
    boolean replacesOnly() {
        return !append && override != null && !override.containsValue("append");
    }

    boolean replaces(String key) {
        return override != null && "replace".equals(override.get(key));
    }

    /** The keys to modify, in the order they are applied. */
    Set<String> keys() {
        return override != null ? override.keySet() : APPEND_ALL;
    }

    /**
     * The modification item {@code e} asks for, checked against the keys this kind of item may append to and
     * replace; deprecated {@code append: true} is a warning.
     */
    static Modification read(FalcoYaml yaml, Map<String, Node> e, Set<String> appendable, Set<String> replaceable) {
        boolean append = e.containsKey("append") && yaml.bool(e.get("append"), "append");
        Node ov = e.get("override");
        if (ov == null) {
            if (append) {
                yaml.warn(yaml.pos(e.get("append")), "'append' key is deprecated. Add an 'append' entry (e.g. "
                        + "'condition: append') under 'override' instead.");
                // Falco's reader takes only these keys from an 'append: true' item and ignores the rest (desc,
                // output, priority, enabled, ...), so rule files written for older Falco versions still load.
                Map<String, String> keys = new LinkedHashMap<>();
                for (String k : e.keySet()) {
                    if (appendable.contains(k) && LEGACY_APPEND_KEYS.contains(k)) {
                        keys.put(k, "append");
                    }
                }
                return new Modification(true, keys);
            }
            return new Modification(false, null);
        }
        if (append) {
            throw new RuleLoadException(yaml.pos(ov), "Keys 'override' and 'append: true' cannot be used together. Add an "
                    + "'append' entry (e.g. 'condition: append') under 'override' instead.");
        }
        if (!(ov instanceof MappingNode)) {
            throw new RuleLoadException(yaml.pos(ov), "'override' must be a mapping of keys to append or replace");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map.Entry<String, Node> o : yaml.entries((MappingNode) ov).entrySet()) {
            String how = yaml.string(o.getValue(), "override value");
            String key = o.getKey();
            if (how.equals("append")) {
                if (!appendable.contains(key)) {
                    throw new RuleLoadException(yaml.pos(o.getValue()), "Key '" + key + "' cannot be appended to, use "
                            + "'replace' instead");
                }
            } else if (how.equals("replace")) {
                if (!replaceable.contains(key)) {
                    throw new RuleLoadException(yaml.pos(o.getValue()), "Key '" + key + "' cannot be replaced");
                }
            } else {
                throw new RuleLoadException(yaml.pos(o.getValue()), "Invalid override value '" + how + "' for key '" + key
                        + "': expected 'append' or 'replace'");
            }
            if (!e.containsKey(key)) {
                throw new RuleLoadException(yaml.pos(o.getValue()), "An " + how + " override for '" + key + "' was "
                        + "specified but '" + key + "' is not defined");
            }
            keys.put(key, how);
        }
        for (String k : e.keySet()) {
            if ((appendable.contains(k) || replaceable.contains(k)) && !keys.containsKey(k)) {
                throw new RuleLoadException(yaml.pos(e.get(k)), "Unexpected key '" + k + "': no corresponding entry under "
                        + "'override' is defined.");
            }
        }
        return new Modification(false, keys);
    }
}
